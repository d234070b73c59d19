import { InvalidArgumentError } from 'commander';
import { toErrorInfo } from '../shared/errors.ts';
import { Marketplace } from './service.ts';
import type { CheckSyntax } from './publish.ts';

/**
 * Glue shared by the marketplace CLI commands (src/cli/commands/{publish,search,install,…}.ts):
 * error printing with exit codes, opening the marketplace, and terminal-safe text.
 */

/** Runs a command body: exit 0 on success, 1 with `error CODE: message` (and the hint) on failure. */
export async function runAction(work: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await work()) ?? 0;
  } catch (error) {
    const info = toErrorInfo(error);
    process.stderr.write(`error ${info.code}: ${printable(info.message, true)}\n${info.hint ? `hint: ${printable(info.hint)}\n` : ''}`);
    process.exitCode = 1;
  }
}

export interface SyntaxChecker {
  checkSyntax: CheckSyntax;
  close(): Promise<void>;
}

export interface CliMarketplaceOptions {
  databaseUrl?: string;
  /** Publishing and exporting a folder need the sandbox's syntax check; the command supplies it. */
  openSandbox?: () => Promise<SyntaxChecker>;
}

/** Opens the marketplace (and, when asked, a sandbox for syntax checks), runs `work`, closes both. */
export async function withMarketplace<T>(options: CliMarketplaceOptions, work: (market: Marketplace) => Promise<T>): Promise<T> {
  const sandbox = options.openSandbox ? await options.openSandbox() : null;
  try {
    const market = await Marketplace.open({ databaseUrl: options.databaseUrl, checkSyntax: sandbox?.checkSyntax });
    try {
      return await work(market);
    } finally {
      await market.close();
    }
  } finally {
    await sandbox?.close();
  }
}

/**
 * Text from the database or a plugin is hostile: drop terminal control sequences and control
 * characters so nothing it holds can rewrite the user's screen. Newlines survive only if asked.
 */
export function printable(text: string, keepNewlines = false): string {
  // eslint-disable-next-line no-control-regex
  const withoutEscapes = text.replace(/\u001b(\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(\u0007|\u001b\\)?|.)/g, '');
  // eslint-disable-next-line no-control-regex
  return withoutEscapes.replace(keepNewlines ? /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g, ' ');
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
