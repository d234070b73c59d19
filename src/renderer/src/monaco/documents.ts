import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type { Monaco } from './load.ts';

/**
 * One Monaco text model per open document (a saved plugin, a draft), as VS Code keeps one per
 * file: each has its own undo stack, cursor and scroll. Switching plugins switches models, so an
 * undo can only ever take a plugin back to an earlier state of itself, never to another's code.
 * Models outlive the editor (leaving the Builder and coming back keeps the history).
 */
interface OpenDocument {
  model: MonacoApi.editor.ITextModel;
  viewState: MonacoApi.editor.ICodeEditorViewState | null;
}

/** By document id, then by the file's path in the plugin ('plugin.py', 'helpers.py', 'data/words.txt'). */
const documents = new Map<string, Map<string, OpenDocument>>();
/** Each document's folder for the language server: its files sit side by side there, so `import helpers` resolves. */
const roots = new Map<string, string>();

/** The model of file `path` of document `id`, made with `text` the first time; an existing one is brought up to `text` as an undoable edit. */
export function documentModel(monaco: Monaco, id: string, text: string, path = 'plugin.py'): MonacoApi.editor.ITextModel {
  const files = documents.get(id) ?? new Map<string, OpenDocument>();
  documents.set(id, files);
  const open = files.get(path);
  if (open && !open.model.isDisposed()) {
    if (open.model.getValue() !== text) replaceText(open.model, text);
    return open.model;
  }
  const uri = monaco.Uri.parse(`${documentRoot(monaco, id)}${path.split('/').map(encodeURIComponent).join('/')}`);
  const model = monaco.editor.createModel(text, path.endsWith('.py') ? 'python' : 'plaintext', uri);
  files.set(path, { model, viewState: null });
  return model;
}

/**
 * Models for the document's other Python files not yet shown, so the language server knows every
 * module of the plugin from the start (`from helpers import x` resolves, F12 can go there).
 */
export function ensureDocumentModels(monaco: Monaco, id: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const open = documents.get(id)?.get(path);
    if (path.endsWith('.py') && (!open || open.model.isDisposed())) documentModel(monaco, id, text, path);
  }
}

/** Which document and file a model is (undefined for a stub or a file no longer in its document). */
export function documentFileOf(model: MonacoApi.editor.ITextModel): { id: string; path: string } | undefined {
  for (const [id, files] of documents) {
    for (const [path, open] of files) {
      if (open.model === model) return { id, path };
    }
  }
  return undefined;
}

/** A file removed or renamed in the Builder: its model goes (a renamed file starts a model of its own under the new name). */
export function closeDocumentFile(id: string, path: string): void {
  const open = documents.get(id)?.get(path);
  documents.get(id)?.delete(path);
  if (open && !open.model.isDisposed()) open.model.dispose();
}

/**
 * Where a document's files live for the language server: file:///plugin/, the plugin's workspace
 * (file:///plugin/plugin.py, file:///plugin/helpers.py). Models are never renamed (each keeps its
 * undo history), so a document opened while another holds that folder gets one of its own under
 * file:///plugin/ (still in the workspace): file:///plugin/.open/<n>/.
 */
function documentRoot(monaco: Monaco, id: string): string {
  const known = roots.get(id);
  if (known) return known;
  const taken = new Set(roots.values());
  const free = (root: string) => !taken.has(root) && !monaco.editor.getModel(monaco.Uri.parse(`${root}plugin.py`));
  let root = 'file:///plugin/';
  for (let n = 2; !free(root); n++) root = `file:///plugin/.open/${n}/`;
  roots.set(id, root);
  return root;
}

/** Text replaced from outside (the plugin reopened from disk): one undoable edit in its own history. */
export function replaceText(model: MonacoApi.editor.ITextModel, text: string): void {
  model.pushStackElement();
  model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
  model.pushStackElement();
}

/** Puts file `path` of document `id` in the editor, keeping where the user was in the one it leaves. */
export function showDocument(monaco: Monaco, editor: MonacoApi.editor.IStandaloneCodeEditor, id: string, text: string, path = 'plugin.py'): void {
  rememberView(editor);
  const model = documentModel(monaco, id, text, path);
  if (editor.getModel() !== model) {
    editor.setModel(model);
    const viewState = documents.get(id)?.get(path)?.viewState;
    if (viewState) editor.restoreViewState(viewState);
  }
}

/** Saves the cursor and scroll of the editor's current file (before a switch or an unmount). */
export function rememberView(editor: MonacoApi.editor.IStandaloneCodeEditor): void {
  const current = editor.getModel();
  for (const files of documents.values()) {
    for (const open of files.values()) {
      if (open.model === current) open.viewState = editor.saveViewState();
    }
  }
}
