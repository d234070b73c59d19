import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type { ExtraCompletions } from './pyright-features.ts';
import { parseSdkStub, publicEntries, type SdkEntry } from './sdk-stub.ts';

type Monaco = typeof MonacoApi;

/**
 * What the language server cannot know: approved model names inside call_ai("…"). Returned: the
 * platform_sdk names, for the server's completions to offer before they are imported (the server
 * offers only what is in scope; its own hover and completion docs come from the same stub).
 */
export function registerSdkSupport(monaco: Monaco, options: { sdkStub: Promise<string>; models: () => Promise<string[]> }): ExtraCompletions {
  const entries = options.sdkStub.then((text) => publicEntries(parseSdkStub(text))).catch(() => [] as SdkEntry[]);

  monaco.languages.registerCompletionItemProvider('python', {
    triggerCharacters: ['"', "'"],
    async provideCompletionItems(model, position) {
      const before = lineBefore(model, position);
      if (!/call_ai\(\s*["'][^"']*$/.test(before)) return { suggestions: [] };
      return { suggestions: await modelSuggestions(monaco, options.models, before, position) };
    },
  });

  // Not inside a string or a comment (model names are offered there), as before the server came.
  return async (model, position, range) => (/["'#]/.test(lineBefore(model, position)) ? [] : (await entries).map((entry) => sdkSuggestion(monaco, entry, range)));
}

function lineBefore(model: MonacoApi.editor.ITextModel, position: MonacoApi.IPosition): string {
  return model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
}

function sdkSuggestion(monaco: Monaco, entry: SdkEntry, range: MonacoApi.IRange): MonacoApi.languages.CompletionItem {
  return {
    label: entry.name,
    kind: entry.kind === 'function' ? monaco.languages.CompletionItemKind.Function : monaco.languages.CompletionItemKind.Class,
    detail: `platform_sdk · ${entry.signature}`,
    documentation: { value: entry.doc },
    insertText: entry.name,
    range,
  };
}

async function modelSuggestions(monaco: Monaco, models: () => Promise<string[]>, before: string, position: MonacoApi.IPosition): Promise<MonacoApi.languages.CompletionItem[]> {
  const typed = /["']([^"']*)$/.exec(before)?.[1] ?? '';
  const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: position.column - typed.length, endColumn: position.column };
  const names = await models().catch(() => [] as string[]);
  return names.map((name) => ({ label: name, kind: monaco.languages.CompletionItemKind.Value, detail: 'approved model', insertText: name, range }));
}
