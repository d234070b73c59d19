import { useEffect, useRef, useState } from 'react';
import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type { ErrorInfo } from '../../../shared/errors.ts';
import { api } from '../api/client.ts';
import type { Theme } from '../stores/ui.ts';
import { documentFileOf, ensureDocumentModels, rememberView, replaceText, showDocument } from './documents.ts';
import type { Monaco } from './load.ts';
import { setPluginFileOpener } from './plugin-file-opener.ts';

export interface CodeEditorProps {
  value: string;
  /** Which document this is (a saved plugin, a draft): each has its own model and undo history. */
  documentId: string;
  /** Which of the document's files is shown ('plugin.py' when absent): each file has its own model, file:///plugin/<path>. */
  path?: string;
  /** Changes when the text is replaced from outside (a template, an opened plugin). */
  revision: number;
  /** Every file of the document by path (plugin.py too): the language server knows each module before it is shown. */
  files?: Record<string, string>;
  /** A user's edit to file `path` of this document: the file the edited model belongs to, whichever file the props name. */
  onChange(code: string, path: string): void;
  /** Go to definition into another of the document's files: the screen shows it (true) or refuses (false, the editor stays). */
  onOpenFile?(path: string): boolean;
  onRun(): void;
  onSave(): void;
  theme: Theme;
  /** Errors with a line to underline (syntax errors as you type, the last run's error). Ruff's findings come on their own. */
  problems: ErrorInfo[];
  /** Filled with "format the document now" once the editor is up: the screen's Save formats first when asked to. */
  formatter?: { current?: () => Promise<void> };
}

const sdkStub = (): Promise<string> => api().call('sdk.stub', {}).then((stub) => stub.text);
const approvedModels = async (): Promise<string[]> => (await api().call('models.list', {})).filter((m) => m.approved).map((m) => m.name);

/** Monaco for one Python file; a plain text area stands in until it loads, or if it cannot. */
export function CodeEditor(props: CodeEditorProps): React.JSX.Element {
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<MonacoApi.editor.IStandaloneCodeEditor | undefined>(undefined);
  const monacoRef = useRef<Monaco | undefined>(undefined);
  const lintRef = useRef<((model: MonacoApi.editor.ITextModel) => void) | undefined>(undefined);
  const latest = useRef(props);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  /** A stub shown by go to definition (platform_sdk.pyi, a standard library module), read-only, instead of the plugin. */
  const [stub, setStub] = useState<string | undefined>(undefined);
  // Monaco's callbacks are registered once; they read the newest props through this ref.
  useEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    let disposed = false;
    import('./load.ts').then(({ setupMonaco, lintAsYouType }) => {
      if (disposed || !container.current) return;
      const monaco = setupMonaco({ sdkStub: sdkStub(), models: approvedModels });
      const editor = monaco.editor.create(container.current, {
        model: null, theme: monacoTheme(latest.current.theme), automaticLayout: true,
        minimap: { enabled: false }, fontSize: 14, tabSize: 4, insertSpaces: true, scrollBeyondLastLine: false,
        fixedOverflowWidgets: true, ariaLabel: 'Plugin code (Python)', renderValidationDecorations: 'on',
      });
      lintRef.current = (model) => lintAsYouType(monaco, model);
      editor.onDidChangeModel(() => setStub(stubName(editor.getModel())));
      showPluginDocument(monaco, editor, latest.current, lintRef.current);
      editor.onDidChangeModelContent(() => reportEdit(editor, latest.current));
      setPluginFileOpener(editor, (model) => openOwnFile(editor, model, latest.current));
      editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onRun());
      editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => latest.current.onSave());
      // Format Document on Shift+Alt+F everywhere (Monaco's Linux default is Ctrl+Shift+I, which few know).
      editor.addCommand(monaco.KeyMod.Shift | monaco.KeyMod.Alt | monaco.KeyCode.KeyF, () => void formatDocument(editor));
      if (latest.current.formatter) latest.current.formatter.current = () => formatDocument(editor);
      editorRef.current = editor;
      monacoRef.current = monaco;
      setState('ready');
    }).catch(() => !disposed && setState('failed'));
    return () => {
      disposed = true;
      // The models stay (each plugin keeps its history for the next visit); only the view goes.
      if (editorRef.current) rememberView(editorRef.current);
      if (latest.current.formatter) latest.current.formatter.current = undefined;
      editorRef.current?.dispose();
      editorRef.current = undefined;
    };
  }, []);

  // Another document (a plugin opened, a template started): its own model, its own undo history.
  useEffect(() => {
    const editor = editorRef.current;
    if (editor && monacoRef.current) showPluginDocument(monacoRef.current, editor, latest.current, lintRef.current);
  }, [props.documentId, props.path, state]);

  const fileNames = Object.keys(props.files ?? {}).join('\n');
  useEffect(() => {
    if (monacoRef.current && latest.current.files) ensureDocumentModels(monacoRef.current, latest.current.documentId, latest.current.files);
  }, [props.documentId, fileNames, state]);

  // The same document's text replaced from outside (reopened from disk): one undoable edit in its own history.
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model && model.getValue() !== latest.current.value) replaceText(model, latest.current.value);
  }, [props.revision, state]);

  useEffect(() => editorRef.current?.updateOptions({ readOnly: stub !== undefined }), [stub]);

  const backToCode = (): void => {
    const editor = editorRef.current;
    if (editor && monacoRef.current) showPluginDocument(monacoRef.current, editor, latest.current, lintRef.current);
    editor?.focus();
  };

  useEffect(() => monacoRef.current?.editor.setTheme(monacoTheme(props.theme)), [props.theme, state]);

  useEffect(() => {
    const monaco = monacoRef.current;
    const model = editorRef.current?.getModel();
    if (monaco && model) monaco.editor.setModelMarkers(model, 'wasmforge', props.problems.flatMap((p) => marker(monaco, model, p)));
  }, [props.problems, state]);

  return (
    <div className="code-editor" data-state={state}>
      {state !== 'ready' && (
        <textarea
          className="code-fallback" aria-label="Plugin code (Python)" spellCheck={false} value={props.value}
          onChange={(e) => props.onChange(e.target.value, props.path ?? 'plugin.py')} readOnly={state === 'loading'}
          title={state === 'loading' ? 'Loading the editor…' : 'The code editor could not load; plain text editing still works'}
        />
      )}
      {stub && (
        <div className="code-editor-stub" data-testid="editor-stub">
          <span>{stub} (read-only)</span>
          <button type="button" onClick={backToCode}>Back to the plugin</button>
        </div>
      )}
      {/* visibility, not display: Monaco measures its host when it starts, and a display:none host measures 0 × 0 */}
      <div ref={container} className="monaco-host" style={{ visibility: state === 'ready' ? 'visible' : 'hidden' }} data-testid="monaco-host" />
    </div>
  );
}

/** Shows one file of a plugin's document; Ruff lints Python as it is typed. */
function showPluginDocument(monaco: Monaco, editor: MonacoApi.editor.IStandaloneCodeEditor, shown: Pick<CodeEditorProps, 'documentId' | 'value' | 'path'>,
  lint?: (model: MonacoApi.editor.ITextModel) => void): void {
  showDocument(monaco, editor, shown.documentId, shown.value, shown.path);
  const model = editor.getModel();
  if (model && lint && model.getLanguageId() === 'python') lint(model);
}

/**
 * An edit goes to the file its model belongs to (never to whichever file the props name, which lag
 * behind a model switched by go to definition). Text put in from outside (an opened plugin) is not an edit.
 */
function reportEdit(editor: MonacoApi.editor.IStandaloneCodeEditor, props: CodeEditorProps): void {
  const model = editor.getModel();
  const file = model ? documentFileOf(model) : undefined;
  if (!model || !file || file.id !== props.documentId) return;
  const text = model.getValue();
  if (file.path === (props.path ?? 'plugin.py') && text === props.value) return;
  props.onChange(text, file.path);
}

/** Go to definition into one of this document's files: shown only when the screen shows it too. */
function openOwnFile(editor: MonacoApi.editor.IStandaloneCodeEditor, model: MonacoApi.editor.ITextModel, props: CodeEditorProps): boolean {
  const file = documentFileOf(model);
  if (!file || file.id !== props.documentId) return false;
  if (file.path !== (props.path ?? 'plugin.py') && !props.onOpenFile?.(file.path)) return false;
  rememberView(editor);
  return true;
}

/** The file name of a stub in the editor (the language server's go to definition), or undefined for the plugin's own code. */
function stubName(model: MonacoApi.editor.ITextModel | null): string | undefined {
  if (!model || model.uri.path.startsWith('/plugin/')) return undefined;
  const path = model.uri.path;
  return path.startsWith('/typeshed/stdlib/') ? path.slice('/typeshed/stdlib/'.length) : path.slice(path.lastIndexOf('/') + 1);
}

/** Monaco's Format Document (Ruff's formatter for Python): one undoable edit, and onChange hears of it. */
async function formatDocument(editor: MonacoApi.editor.IStandaloneCodeEditor): Promise<void> {
  await editor.getAction('editor.action.formatDocument')?.run();
}

function monacoTheme(theme: Theme): string {
  return theme === 'dark' ? 'vs-dark' : 'vs';
}

function marker(monaco: Monaco, model: MonacoApi.editor.ITextModel, problem: ErrorInfo): MonacoApi.editor.IMarkerData[] {
  if (!problem.line || problem.line < 1 || problem.line > model.getLineCount()) return [];
  const line = problem.line;
  const maxColumn = model.getLineMaxColumn(line);
  const start = Math.min(Math.max(problem.column ?? model.getLineFirstNonWhitespaceColumn(line), 1), Math.max(maxColumn - 1, 1));
  return [{
    severity: monaco.MarkerSeverity.Error,
    message: `${problem.code}: ${problem.message}`,
    startLineNumber: line, startColumn: start, endLineNumber: line, endColumn: Math.max(maxColumn, start + 1),
    source: 'wasmforge',
  }];
}
