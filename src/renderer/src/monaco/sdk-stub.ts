/** One public name of platform_sdk, as the editor offers it. */
export interface SdkEntry {
  name: string;
  kind: 'function' | 'class';
  /** e.g. `call_ai(model, prompt=None, *, system=None) -> str` */
  signature: string;
  doc: string;
}

/**
 * Reads the public functions and classes (with their docstrings) out of platform_sdk.pyi, or
 * platform_sdk.py when no stub exists. A small line parser is enough: the file is ours and simple.
 */
export function parseSdkStub(text: string): SdkEntry[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const entries: SdkEntry[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^(def|class)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(line);
    if (!header) continue;
    const { signature, end } = readSignature(lines, i);
    entries.push({
      name: header[2]!,
      kind: header[1] === 'def' ? 'function' : 'class',
      signature: tidySignature(signature),
      doc: readDocstring(lines, end + 1),
    });
    i = end;
  }
  return mergeOverloads(entries);
}

/** Overloads in a stub repeat the name; the first signature stays, the docstring comes from whichever has one. */
function mergeOverloads(entries: SdkEntry[]): SdkEntry[] {
  const byName = new Map<string, SdkEntry>();
  for (const entry of entries) {
    const first = byName.get(entry.name);
    if (!first) byName.set(entry.name, entry);
    else if (!first.doc && entry.doc) first.doc = entry.doc;
  }
  return [...byName.values()];
}

function tidySignature(signature: string): string {
  return signature.replace(/^(def|class)\s+/, '').replace(/:\s*(\.\.\.)?\s*$/, '')
    .replace(/\(\s+/g, '(').replace(/,?\s+\)/g, ')').replace(/\s+/g, ' ').trim();
}

/** A signature may span lines until the colon that closes it at depth zero. */
function readSignature(lines: string[], start: number): { signature: string; end: number } {
  let text = '';
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    text += (text ? ' ' : '') + line.trim();
    for (const ch of line) depth += ch === '(' || ch === '[' ? 1 : ch === ')' || ch === ']' ? -1 : 0;
    if (depth <= 0 && /:\s*(\.\.\.)?\s*(#.*)?$/.test(line)) return { signature: text.replace(/\s+#.*$/, ''), end: i };
  }
  return { signature: text, end: start };
}

function readDocstring(lines: string[], from: number): string {
  const first = lines[from]?.trim() ?? '';
  const quote = first.startsWith('"""') ? '"""' : first.startsWith("'''") ? "'''" : undefined;
  if (!quote) return '';
  const rest = first.slice(3);
  if (rest.includes(quote)) return rest.slice(0, rest.indexOf(quote)).trim();
  const body = [rest];
  for (let i = from + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.includes(quote)) {
      body.push(line.slice(0, line.indexOf(quote)));
      break;
    }
    body.push(line);
  }
  return dedent(body).trim();
}

function dedent(lines: string[]): string {
  const indents = lines.slice(1).filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return [lines[0]!, ...lines.slice(1).map((l) => l.slice(cut))].join('\n');
}

/** Only what a plugin should use: public names, not the SDK's private helpers. */
export function publicEntries(entries: SdkEntry[]): SdkEntry[] {
  return entries.filter((entry) => !entry.name.startsWith('_'));
}
