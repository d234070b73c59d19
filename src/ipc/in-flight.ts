import type { ErrorInfo } from '../shared/errors.ts';

/**
 * Calls a client may have under way at once: per window over IPC, per server over HTTP (its
 * clients share one token). A call past it is refused at once, never queued, so a runaway page
 * cannot pile up work or memory (an HTTP body may be 8 MiB).
 */
export const MAX_CALLS_IN_FLIGHT = 64;

export function tooManyCalls(limit: number): ErrorInfo {
  return { code: 'BUSY', message: `Too many requests at once: at most ${limit} calls may be under way; try again when one has finished` };
}
