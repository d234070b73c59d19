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

const documents = new Map<string, OpenDocument>();

/** The model of `id`, made with `text` the first time; an existing one is brought up to `text` as an undoable edit. */
export function documentModel(monaco: Monaco, id: string, text: string): MonacoApi.editor.ITextModel {
  const open = documents.get(id);
  if (open && !open.model.isDisposed()) {
    if (open.model.getValue() !== text) replaceText(open.model, text);
    return open.model;
  }
  const model = monaco.editor.createModel(text, 'python', documentUri(monaco));
  documents.set(id, { model, viewState: null });
  return model;
}

/**
 * Where a document lives for the language server: file:///plugin/plugin.py, the plugin's main file in
 * its workspace. Models are never renamed (each keeps its undo history), so documents opened while
 * another holds that name get one of their own under file:///plugin/ (still in the workspace).
 */
function documentUri(monaco: Monaco): MonacoApi.Uri {
  const main = monaco.Uri.parse('file:///plugin/plugin.py');
  if (!monaco.editor.getModel(main)) return main;
  for (let n = 2; ; n++) {
    const other = monaco.Uri.parse(`file:///plugin/.open/${n}/plugin.py`);
    if (!monaco.editor.getModel(other)) return other;
  }
}

/** Text replaced from outside (the plugin reopened from disk): one undoable edit in its own history. */
export function replaceText(model: MonacoApi.editor.ITextModel, text: string): void {
  model.pushStackElement();
  model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
  model.pushStackElement();
}

/** Puts document `id` in the editor, keeping where the user was in the one it leaves. */
export function showDocument(monaco: Monaco, editor: MonacoApi.editor.IStandaloneCodeEditor, id: string, text: string): void {
  rememberView(editor);
  const model = documentModel(monaco, id, text);
  if (editor.getModel() !== model) {
    editor.setModel(model);
    const viewState = documents.get(id)?.viewState;
    if (viewState) editor.restoreViewState(viewState);
  }
}

/** Saves the cursor and scroll of the editor's current document (before a switch or an unmount). */
export function rememberView(editor: MonacoApi.editor.IStandaloneCodeEditor): void {
  const current = editor.getModel();
  for (const open of documents.values()) {
    if (open.model === current) open.viewState = editor.saveViewState();
  }
}
