import { useEffect, useRef, useState } from 'react';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import { api } from '../api/client.ts';
import type { Theme } from '../stores/ui.ts';

const sdkStub = (): Promise<string> => api().call('sdk.stub', {}).then((stub) => stub.text);

/**
 * Two versions of a plugin's code, as an IDE shows a change: Monaco's diff editor, read-only,
 * inline. `data-changes` says how many changed regions it found once it has compared them; the
 * first of them is scrolled into view.
 */
export function ReadOnlyDiff({ before, after, theme, label }: { before: string; after: string; theme: Theme; label: string }): React.JSX.Element {
  const container = useRef<HTMLDivElement>(null);
  const [changes, setChanges] = useState<number>();

  useEffect(() => {
    let disposed = false;
    let editor: MonacoApi.editor.IStandaloneDiffEditor | undefined;
    let models: MonacoApi.editor.ITextModel[] = [];
    import('./load.ts').then(({ setupMonaco }) => {
      if (disposed || !container.current) return;
      const monaco = setupMonaco({ sdkStub: sdkStub(), models: async () => [] });
      models = [monaco.editor.createModel(before, 'python'), monaco.editor.createModel(after, 'python')];
      editor = monaco.editor.createDiffEditor(container.current, {
        readOnly: true, originalEditable: false, renderSideBySide: false, automaticLayout: true, minimap: { enabled: false },
        fontSize: 13, scrollBeyondLastLine: false, ariaLabel: label, theme: theme === 'dark' ? 'vs-dark' : 'vs',
      });
      editor.setModel({ original: models[0]!, modified: models[1]! });
      let revealed = false;
      editor.onDidUpdateDiff(() => {
        const lineChanges = editor?.getLineChanges() ?? [];
        setChanges(lineChanges.length);
        // The diff opens at line 1, and a change far down would be out of sight: show the first one,
        // once (later recomputations must not pull the view away from where the reader scrolled).
        const first = lineChanges[0];
        if (revealed || !first) return;
        revealed = true;
        // A pure deletion has no modified lines: its start is the line the deleted ones followed.
        editor?.getModifiedEditor().revealLineInCenter(Math.max(first.modifiedStartLineNumber, 1));
      });
    }).catch(() => undefined);
    return () => {
      disposed = true;
      editor?.dispose();
      for (const model of models) model.dispose();
    };
  }, [before, after, theme, label]);

  return (
    <div className="readonly-code readonly-diff" data-testid="code-diff" data-changes={changes ?? ''} aria-label={label}>
      <div ref={container} className="monaco-host" />
    </div>
  );
}
