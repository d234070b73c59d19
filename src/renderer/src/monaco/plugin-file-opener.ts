import type * as MonacoApi from 'monaco-editor/editor/editor.api';

type CodeEditor = MonacoApi.editor.ICodeEditor;

/**
 * Who shows a plugin file in an editor: the screen owning it (the Builder switches its files list
 * to the file, so its edits are saved to it). True when the file is now the one shown.
 * (A module of its own, without Monaco's code: the editor's component registers before Monaco loads.)
 */
export type PluginFileOpener = (model: MonacoApi.editor.ITextModel) => boolean;

const openers = new WeakMap<CodeEditor, PluginFileOpener>();

/** The editor's screen registers how it opens its plugin's files; with none, go to definition never leaves the file. */
export function setPluginFileOpener(editor: CodeEditor, open: PluginFileOpener): void {
  openers.set(editor, open);
}

export function pluginFileOpener(editor: CodeEditor): PluginFileOpener | undefined {
  return openers.get(editor);
}
