/**
 * Splits text at pairs of backticks: `a` b → code "a", text " b". A lone backtick (no closing
 * one) and an empty pair stay as written, so nothing a message says is lost.
 */
export function splitInlineCode(text: string): Array<{ text: string; code: boolean }> {
  const parts: Array<{ text: string; code: boolean }> = [];
  let plain = '';
  for (let at = 0; at < text.length;) {
    const open = text.indexOf('`', at);
    const close = open === -1 ? -1 : text.indexOf('`', open + 1);
    if (open === -1 || close === -1) {
      plain += text.slice(at);
      break;
    }
    if (close === open + 1) {
      plain += text.slice(at, close + 1);
    } else {
      plain += text.slice(at, open);
      if (plain) parts.push({ text: plain, code: false });
      parts.push({ text: text.slice(open + 1, close), code: true });
      plain = '';
    }
    at = close + 1;
  }
  if (plain) parts.push({ text: plain, code: false });
  return parts;
}
