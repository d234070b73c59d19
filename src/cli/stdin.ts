import { WasmForgeError } from '../shared/errors.ts';

/** Nothing on stdin for this long: say what the command is waiting for. */
const QUIET_NOTICE_MS = 2000;

/**
 * All of stdin as text, as `cat` would read it. Aborting the signal (Ctrl-C) stops the read at once
 * with CANCELLED, even while nothing arrives; a pipe that stays silent gets one line on stderr, so
 * a forgotten `--input` is not a silent hang.
 */
export function readStdin(signal: AbortSignal, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const quiet = setTimeout(() => {
      process.stderr.write('wasmforge: waiting for the input on stdin (end it with Ctrl-D, or pass --input; Ctrl-C cancels)\n');
    }, QUIET_NOTICE_MS);
    const settle = (): void => {
      clearTimeout(quiet);
      stdin.off('data', onData).off('end', onEnd).off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const onData = (chunk: Buffer): void => {
      clearTimeout(quiet);
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      settle();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      settle();
      reject(new WasmForgeError('STORAGE_ERROR', `Could not read the input from stdin: ${error.message}`));
    };
    const onAbort = (): void => {
      settle();
      stdin.destroy();
      reject(new WasmForgeError('CANCELLED', 'Cancelled while reading the input from stdin'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    stdin.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
