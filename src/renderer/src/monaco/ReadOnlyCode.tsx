import { useEffect, useRef, useState } from 'react';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import { api } from '../api/client.ts';
import type { Theme } from '../stores/ui.ts';

const sdkStub = (): Promise<string> => api().call('sdk.stub', {}).then((stub) => stub.text);

/** Someone else's code, to read before installing: Monaco read-only (a plain block until it loads). */
export function ReadOnlyCode({ code, theme, label }: { code: string; theme: Theme; label: string }): React.JSX.Element {
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoApi.editor.IStandaloneCodeEditor | undefined>(undefined);
  const [ready, setReady] = useState(false);
  const latest = useRef({ code, theme });
  useEffect(() => {
    latest.current = { code, theme };
  });

  useEffect(() => {
    let disposed = false;
    import('./load.ts').then(({ setupMonaco }) => {
      if (disposed || !container.current) return;
      const monaco = setupMonaco({ sdkStub: sdkStub(), models: async () => [] });
      editorRef.current = monaco.editor.create(container.current, {
        value: latest.current.code, language: 'python', readOnly: true, domReadOnly: true, theme: latest.current.theme === 'dark' ? 'vs-dark' : 'vs',
        automaticLayout: true, minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, ariaLabel: label,
      });
      setReady(true);
    }).catch(() => undefined);
    return () => {
      disposed = true;
      editorRef.current?.getModel()?.dispose();
      editorRef.current?.dispose();
      editorRef.current = undefined;
    };
  }, [label]);

  useEffect(() => {
    if (editorRef.current && editorRef.current.getValue() !== code) editorRef.current.setValue(code);
  }, [code, ready]);

  useEffect(() => {
    if (!ready) return;
    void import('./load.ts').then(({ setupMonaco }) => setupMonaco({ sdkStub: sdkStub(), models: async () => [] }).editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs'));
  }, [theme, ready]);

  return (
    <div className="readonly-code" data-state={ready ? 'ready' : 'loading'} data-testid="readonly-code">
      {!ready && <pre className="code-fallback-block" aria-label={label}>{code}</pre>}
      {/* visibility, not display: Monaco measures its host when it starts, and a display:none host measures 0 × 0 */}
      <div ref={container} className="monaco-host" style={{ visibility: ready ? 'visible' : 'hidden' }} />
    </div>
  );
}
