import type * as MonacoApi from 'monaco-editor/editor/editor.api';
import type {
  CompletionItem, Hover, MarkedString, MarkupContent, Position, Range, SignatureHelp,
} from 'vscode-languageserver-protocol';

type Monaco = typeof MonacoApi;
type Kind = keyof typeof MonacoApi.languages.CompletionItemKind;

/** LSP's completion kinds (1-based, their own order) by Monaco's names for them. */
const LSP_KINDS: Kind[] = [
  'Text', 'Text', 'Method', 'Function', 'Constructor', 'Field', 'Variable', 'Class', 'Interface', 'Module', 'Property',
  'Unit', 'Value', 'Enum', 'Keyword', 'Snippet', 'Color', 'File', 'Reference', 'Folder', 'EnumMember', 'Constant',
  'Struct', 'Event', 'Operator', 'TypeParameter',
];

export function toLspPosition(position: MonacoApi.IPosition): Position {
  return { line: position.lineNumber - 1, character: position.column - 1 };
}

export function toMonacoRange(range: Range): MonacoApi.IRange {
  return {
    startLineNumber: range.start.line + 1, startColumn: range.start.character + 1,
    endLineNumber: range.end.line + 1, endColumn: range.end.character + 1,
  };
}

export function toMarkdown(content: string | MarkupContent | MarkedString | undefined): MonacoApi.IMarkdownString | undefined {
  if (content === undefined) return undefined;
  if (typeof content === 'string') return { value: content };
  if ('kind' in content) return { value: content.kind === 'markdown' ? content.value : escapeMarkdown(content.value) };
  return { value: '```' + content.language + '\n' + content.value + '\n```' };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>]/g, '\\$&');
}

export function toMonacoCompletion(monaco: Monaco, item: CompletionItem, range: MonacoApi.IRange): MonacoApi.languages.CompletionItem {
  const edit = item.textEdit && 'range' in item.textEdit ? item.textEdit : undefined;
  return {
    label: item.label,
    kind: monaco.languages.CompletionItemKind[LSP_KINDS[item.kind ?? 1] ?? 'Text'],
    detail: item.detail,
    documentation: toMarkdown(item.documentation),
    insertText: edit?.newText ?? item.insertText ?? item.label,
    range: edit ? toMonacoRange(edit.range) : range,
    sortText: item.sortText,
    filterText: item.filterText,
    additionalTextEdits: item.additionalTextEdits?.map((e) => ({ range: toMonacoRange(e.range), text: e.newText })),
  };
}

export function toMonacoHover(hover: Hover): MonacoApi.languages.Hover {
  const parts = Array.isArray(hover.contents) ? hover.contents : [hover.contents];
  return {
    contents: parts.flatMap((part) => toMarkdown(part) ?? []),
    range: hover.range ? toMonacoRange(hover.range) : undefined,
  };
}

export function toMonacoSignatureHelp(help: SignatureHelp): MonacoApi.languages.SignatureHelp {
  return {
    activeSignature: help.activeSignature ?? 0,
    activeParameter: help.activeParameter ?? 0,
    signatures: help.signatures.map((signature) => ({
      label: signature.label,
      documentation: toMarkdown(signature.documentation),
      activeParameter: signature.activeParameter ?? undefined,
      parameters: (signature.parameters ?? []).map((parameter) => ({
        label: parameter.label,
        documentation: toMarkdown(parameter.documentation),
      })),
    })),
  };
}
