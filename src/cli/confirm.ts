import { createInterface } from 'node:readline/promises';
import { UsageError } from './output.ts';

export interface ConfirmOptions {
  /** `--yes`: the user already said so. */
  yes?: boolean;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
}

/**
 * Asks before something that cannot be undone. Only a person at a terminal can answer: in a
 * script (stdin not a terminal) nothing is asked, and the command needs `--yes` to go ahead.
 */
export async function confirm(question: string, options: ConfirmOptions = {}): Promise<boolean> {
  if (options.yes) return true;
  const input = options.input ?? process.stdin;
  if (!input.isTTY) throw new UsageError(`${question.replace(/\?$/, '')}: not asked, as stdin is not a terminal; add --yes to go ahead`);
  const prompt = createInterface({ input, output: options.output ?? process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}
