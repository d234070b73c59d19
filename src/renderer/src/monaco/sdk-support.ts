import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import { parseSdkStub, publicEntries, type SdkEntry } from './sdk-stub.ts';

type Monaco = typeof MonacoApi;

/** Completions and hover docs for platform_sdk (from its stub), and model names inside call_ai("…"). */
export function registerSdkSupport(monaco: Monaco, options: { sdkStub: Promise<string>; models: () => Promise<string[]> }): void {
  const entries = options.sdkStub.then((text) => publicEntries(parseSdkStub(text))).catch(() => [] as SdkEntry[]);

  monaco.languages.registerCompletionItemProvider('python', {
    triggerCharacters: ['"', "'", '.', ' '],
    async provideCompletionItems(model, position) {
      const before = model.getValueInRange({ startLineNumber: position.lineNumber, startColumn: 1, endLineNumber: position.lineNumber, endColumn: position.column });
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      if (/call_ai\(\s*["'][^"']*$/.test(before)) return { suggestions: await modelSuggestions(monaco, options.models, before, position) };
      if (/["']/.test(before.replace(/^[^"']*$/, ''))) return { suggestions: [] };
      return { suggestions: (await entries).map((entry) => sdkSuggestion(monaco, entry, range)) };
    },
  });

  monaco.languages.registerHoverProvider('python', {
    async provideHover(model, position) {
      const word = model.getWordAtPosition(position);
      const entry = word && (await entries).find((e) => e.name === word.word);
      if (!word || !entry) return null;
      return {
        range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
        contents: [{ value: '```python\n' + entry.signature + '\n```' }, { value: entry.doc || '_platform_sdk_' }],
      };
    },
  });
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

async function modelSuggestions(monaco: Monaco, models: () => Promise<string[]>, before: string, position: MonacoApi.Position): Promise<MonacoApi.languages.CompletionItem[]> {
  const typed = /["']([^"']*)$/.exec(before)?.[1] ?? '';
  const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: position.column - typed.length, endColumn: position.column };
  const names = await models().catch(() => [] as string[]);
  return names.map((name) => ({ label: name, kind: monaco.languages.CompletionItemKind.Value, detail: 'approved model', insertText: name, range }));
}
