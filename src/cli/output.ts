import { errorInfoOf } from '../shared/api/api-error.ts';
import type { RunEvent } from '../shared/run.ts';
import { wasInterrupted } from './interrupt.ts';
import { printable } from './terminal.ts';

/**
 * A command used the wrong way (exit 2, like commander's own usage errors). Its `cause`, when
 * given, is the typed error to show (a setting or variable the command cannot start with).
 */
export class UsageError extends Error {}

/**
 * An argument the command cannot take (a plugin name or version that is not valid): its typed
 * error is shown as it is, and the command exits 2, as for any usage error.
 */
export function argument<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    return badArgument(error);
  }
}

/** As `argument`, for an argument read asynchronously (a file it names): `read(...).catch(badArgument)`. */
export function badArgument(error: unknown): never {
  if (errorInfoOf(error).code === 'BAD_INPUT') throw new UsageError('bad argument', { cause: error });
  throw error;
}

/** `error CODE: message` and the hint, on stderr; text from plugins and databases cannot drive the terminal. */
export function printError(error: unknown): void {
  if (error instanceof UsageError && error.cause === undefined) {
    process.stderr.write(`error: ${error.message}\n`);
    return;
  }
  const info = errorInfoOf(error instanceof UsageError ? error.cause : error);
  process.stderr.write(`error ${info.code}: ${printable(info.message, true)}\n${info.hint ? `hint: ${printable(info.hint)}\n` : ''}`);
}

/** Runs a command body: exit 0 on success (or the number it returns), 1 on failure, 2 on a usage error, 130 when Ctrl-C cancelled it. */
export async function runAction(work: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await work()) ?? 0;
  } catch (error) {
    printError(error);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
  if (wasInterrupted()) process.exitCode = 130;
}

/**
 * A plugin's output, logs and AI text on a terminal: control sequences from a plugin must not rewrite
 * the screen (newlines and tabs stay). Pipes and files get the bytes as they are, so no data is lost.
 */
export function forTerminal(text: string, stream: { isTTY?: boolean } = process.stderr): string {
  return stream.isTTY ? printable(text, true) : text;
}

/** A run's event listener that writes each AI answer as it streams, one call after the other; `end` closes the last line. */
export function printAiTokens(write: (text: string) => void): (event: RunEvent | { type: 'end' }) => void {
  let open = false;
  return (event) => {
    if (event.type === 'ai-call') {
      write(`${open ? '\n' : ''}[ai #${event.index + 1} ${event.model}] `);
      open = true;
    } else if (event.type === 'ai-token') {
      write(event.text);
    } else if (event.type === 'end' && open) {
      write('\n');
      open = false;
    }
  };
}
