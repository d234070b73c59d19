import { InvalidArgumentError } from 'commander';

/**
 * Sequences a terminal acts on, 7-bit (ESC …) or 8-bit (C1): CSI (clear screen, cursor moves, colours),
 * the string commands OSC, DCS, SOS, PM and APC (window title, OSC 52 clipboard writes, …) up to their
 * terminator (or the end of the line, so an unterminated one hides at most one line), and any other
 * ESC with the character after it. strip-ansi is not enough here: it misses OSC payloads holding
 * characters such as "+" (base64 in OSC 52) and keeps lone controls (BEL, an 8-bit CSI).
 */
// eslint-disable-next-line no-control-regex
const CONTROL_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\s\S]?/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER_BUT_LAYOUT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text from the database or a plugin is hostile: drop terminal control sequences and control
 * characters so nothing it holds can rewrite the user's screen, its title or its clipboard. The one
 * sanitizer for what reaches a terminal (plugin output and logs, errors, database text); newlines
 * and tabs survive only if asked.
 */
export function printable(text: string, keepLayout = false): string {
  return text.replace(CONTROL_SEQUENCE, '').replace(keepLayout ? CONTROL_CHARACTER_BUT_LAYOUT : CONTROL_CHARACTER, ' ');
}

export function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** A plain aligned table; every cell passes through `printable`. */
export function table(headers: string[], rows: string[][]): string {
  const cells = [headers, ...rows].map((row) => row.map((cell) => printable(cell)));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A commander option parser for page numbers and sizes. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a positive whole number');
  return number;
}
