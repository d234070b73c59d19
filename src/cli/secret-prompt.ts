import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { WasmForgeError } from '../shared/errors.ts';

export interface SecretPromptOptions {
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
}

/**
 * Asks for a secret at a terminal without showing it: readline does the line editing (and turns the
 * terminal's own echo off), and its echo goes nowhere. Nothing is kept in readline's history.
 */
export async function promptSecret(question: string, options: SecretPromptOptions = {}): Promise<string> {
  const output = options.output ?? process.stderr;
  const nowhere = new Writable({ write: (_chunk, _encoding, done) => done() });
  const prompt = createInterface({ input: options.input ?? process.stdin, output: nowhere, terminal: true, historySize: 0 });
  const ctrlC = new AbortController();
  prompt.on('SIGINT', () => ctrlC.abort());
  // Listening before the question shows, so an answer typed at once is not lost.
  const answer = prompt.question('', { signal: ctrlC.signal });
  output.write(question);
  try {
    return await answer;
  } catch (error) {
    if (ctrlC.signal.aborted) throw new WasmForgeError('CANCELLED', 'Cancelled at the prompt');
    throw error;
  } finally {
    prompt.close();
    output.write('\n');
  }
}
