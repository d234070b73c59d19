import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { LanguageServer } from './pyright-client.ts';
import { isLeftOut, sandboxMessage, sandboxSeverity } from './pyright-diagnostics.ts';
import { isPluginModel } from './pyright-files.ts';

type Monaco = typeof MonacoApi;
type Model = MonacoApi.editor.ITextModel;

/** The owner of the language server's markers (Ruff's and the sandbox's are kept beside them). */
export const PYRIGHT_MARKER_OWNER = 'pyright';

/**
 * Every Python model under file:///plugin/ is a file of the server's workspace: created in its file
 * system (so `import helpers` finds helpers.py), opened, and sent in full on each edit (plugin files
 * are small; full text keeps the protocol simple). A disposed model is closed and deleted.
 */
export function syncPluginModels(monaco: Monaco, server: LanguageServer): void {
  const synced = new Set<string>();
  const open = (model: Model): void => {
    const uri = model.uri.toString();
    if (synced.has(uri) || !isPluginModel(model)) return;
    synced.add(uri);
    void server.connection.sendNotification('pyright/createFile', { uri });
    void server.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'python', version: model.getVersionId(), text: model.getValue() },
    });
    model.onDidChangeContent(() => void server.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: model.getVersionId() }, contentChanges: [{ text: model.getValue() }],
    }));
  };
  const close = (model: Model): void => {
    const uri = model.uri.toString();
    if (!synced.delete(uri)) return;
    void server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    void server.connection.sendNotification('pyright/deleteFile', { uri });
  };
  monaco.editor.getModels().forEach(open);
  monaco.editor.onDidCreateModel(open);
  monaco.editor.onWillDisposeModel(close);
  monaco.editor.onDidChangeModelLanguage(({ model }) => (isPluginModel(model) ? open(model) : close(model)));
  showDiagnostics(monaco, server);
}

/** The server's findings as markers on their model, unless the model has changed since they were made. */
function showDiagnostics(monaco: Monaco, server: LanguageServer): void {
  server.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    const model = monaco.editor.getModel(monaco.Uri.parse(params.uri));
    if (!model || model.isDisposed()) return;
    if (params.version !== undefined && params.version !== model.getVersionId()) return;
    monaco.editor.setModelMarkers(model, PYRIGHT_MARKER_OWNER, params.diagnostics.filter((d) => !isLeftOut(d)).map((d) => pyrightMarker(monaco, d)));
  });
}

const SEVERITY: Record<number, keyof typeof MonacoApi.MarkerSeverity> = { 1: 'Error', 2: 'Warning', 3: 'Info', 4: 'Hint' };

export function pyrightMarker(monaco: Monaco, diagnostic: Diagnostic): MonacoApi.editor.IMarkerData {
  const severity = SEVERITY[sandboxSeverity(diagnostic) ?? 1] ?? 'Error';
  return {
    severity: monaco.MarkerSeverity[severity],
    message: sandboxMessage(diagnostic),
    source: 'basedpyright',
    code: diagnostic.code === undefined ? undefined : String(diagnostic.code),
    tags: (diagnostic.tags ?? []).flatMap((tag) => (tag === 1 ? [monaco.MarkerTag.Unnecessary] : tag === 2 ? [monaco.MarkerTag.Deprecated] : [])),
    startLineNumber: diagnostic.range.start.line + 1, startColumn: diagnostic.range.start.character + 1,
    endLineNumber: diagnostic.range.end.line + 1, endColumn: diagnostic.range.end.character + 1,
  };
}
