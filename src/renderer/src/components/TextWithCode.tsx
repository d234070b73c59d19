import { splitInlineCode } from './inline-code.ts';

/**
 * A message or hint from the backend, with its `backticked` parts as <code>. The same texts go
 * to the CLI, where backticks read as a command to type; shown literally in the UI they read as
 * stray punctuation. Plain React text nodes: nothing in the message is ever taken as markup.
 */
export function TextWithCode({ text }: { text: string }): React.JSX.Element {
  return <>{splitInlineCode(text).map((part, index) => (part.code ? <code key={index}>{part.text}</code> : part.text))}</>;
}
