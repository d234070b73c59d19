import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type { CompletionItem, CompletionList, Definition, Hover, LocationLink, SignatureHelp } from 'vscode-languageserver-protocol';
import type { LanguageServer } from './pyright-client.ts';
import { toLspPosition, toMarkdown, toMonacoCompletion, toMonacoHover, toMonacoRange, toMonacoSignatureHelp } from './pyright-convert.ts';
import { pluginFileOpener } from './plugin-file-opener.ts';
import { isPluginModel } from './pyright-files.ts';

type Monaco = typeof MonacoApi;
type Model = MonacoApi.editor.ITextModel;

/** Names offered beside the server's own (platform_sdk's, typed before they are imported); none it offers too. */
export type ExtraCompletions = (model: Model, at: MonacoApi.IPosition, range: MonacoApi.IRange) => Promise<MonacoApi.languages.CompletionItem[]>;

const position = (model: Model, at: MonacoApi.IPosition) => ({ textDocument: { uri: model.uri.toString() }, position: toLspPosition(at) });

/** Completion, hover, signature help and go to definition from the language server, for the plugin's models. */
export function registerPyrightFeatures(monaco: Monaco, server: Promise<LanguageServer>, extra: ExtraCompletions): void {
  const ask = async <T>(model: Model, method: string, params: object): Promise<T | null> => {
    if (!isPluginModel(model)) return null;
    return server.then((started) => started.connection.sendRequest<T>(method, params)).catch(() => null);
  };
  const lspItems = new WeakMap<MonacoApi.languages.CompletionItem, CompletionItem>();

  monaco.languages.registerCompletionItemProvider('python', {
    triggerCharacters: ['.'],
    async provideCompletionItems(model, at) {
      const word = model.getWordUntilPosition(at);
      const range = { startLineNumber: at.lineNumber, endLineNumber: at.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const list = await ask<CompletionList | CompletionItem[]>(model, 'textDocument/completion', position(model, at));
      const items = Array.isArray(list) ? list : (list?.items ?? []);
      const suggestions = items.map((item) => {
        const suggestion = toMonacoCompletion(monaco, item, range);
        lspItems.set(suggestion, item);
        return suggestion;
      });
      const afterDot = model.getLineContent(at.lineNumber).charAt(word.startColumn - 2) === '.';
      const offered = new Set(items.map((item) => item.label));
      const others = afterDot || !isPluginModel(model) ? [] : (await extra(model, at, range)).filter((s) => !offered.has(String(s.label)));
      return { suggestions: [...suggestions, ...others] };
    },
    // The server sends docs on request, for the item the user is looking at.
    async resolveCompletionItem(suggestion) {
      const item = lspItems.get(suggestion);
      if (!item || suggestion.documentation) return suggestion;
      const resolved = await server.then((started) => started.connection.sendRequest<CompletionItem>('completionItem/resolve', item)).catch(() => item);
      return { ...suggestion, detail: resolved.detail ?? suggestion.detail, documentation: toMarkdown(resolved.documentation) };
    },
  });

  monaco.languages.registerHoverProvider('python', {
    async provideHover(model, at) {
      const hover = await ask<Hover>(model, 'textDocument/hover', position(model, at));
      return hover ? toMonacoHover(hover) : null;
    },
  });

  monaco.languages.registerSignatureHelpProvider('python', {
    signatureHelpTriggerCharacters: ['(', ','],
    signatureHelpRetriggerCharacters: [')'],
    async provideSignatureHelp(model, at) {
      const help = await ask<SignatureHelp>(model, 'textDocument/signatureHelp', position(model, at));
      return help?.signatures.length ? { value: toMonacoSignatureHelp(help), dispose: () => undefined } : null;
    },
  });

  monaco.languages.registerDefinitionProvider('python', {
    async provideDefinition(model, at) {
      const found = await ask<Definition | LocationLink[]>(model, 'textDocument/definition', position(model, at));
      const locations = (Array.isArray(found) ? found : found ? [found] : []).map((l) => ('targetUri' in l ? { uri: l.targetUri, range: l.targetSelectionRange } : l));
      const usable = [];
      if (locations.length === 0) return [];
      const started = await server;
      for (const location of locations) {
        if (await stubModel(monaco, started, location.uri)) usable.push({ uri: monaco.Uri.parse(location.uri), range: toMonacoRange(location.range) });
      }
      return usable;
    },
  });
}

/**
 * The model a definition lands in: a plugin file is already one; a stub (the SDK's, the standard
 * library's) is made read-only from the server's own copy the first time.
 */
async function stubModel(monaco: Monaco, server: LanguageServer, uri: string): Promise<Model | undefined> {
  const resource = monaco.Uri.parse(uri);
  const existing = monaco.editor.getModel(resource);
  if (existing) return existing;
  const text = await server.readStub(resource.path);
  if (text === undefined) return undefined;
  return monaco.editor.getModel(resource) ?? monaco.editor.createModel(text, 'python', resource);
}

type CodeEditor = MonacoApi.editor.ICodeEditor;

/**
 * Go to definition into another file: a plugin file only through its screen's opener (the editor
 * alone must never show a file its screen does not know it shows); a stub in place (read-only, see
 * CodeEditor). Monaco's standalone editor opens nothing but its own model by itself.
 */
export function registerDefinitionOpener(monaco: Monaco): void {
  monaco.editor.registerEditorOpener({
    openCodeEditor(source, resource, selectionOrPosition) {
      const model = monaco.editor.getModel(resource);
      if (!model) return false;
      if (isPluginModel(model) && !pluginFileOpener(source)?.(model)) return false;
      source.setModel(model);
      revealTarget(source, selectionOrPosition);
      return true;
    },
  });
}

function revealTarget(editor: CodeEditor, target: MonacoApi.IRange | MonacoApi.IPosition | undefined | null): void {
  if (target && 'startLineNumber' in target) {
    editor.setSelection(target);
    editor.revealRangeInCenter(target);
  } else if (target) {
    editor.setPosition(target);
    editor.revealPositionInCenter(target);
  }
}
