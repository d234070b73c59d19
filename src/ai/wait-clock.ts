import { WasmForgeError } from '../shared/errors.ts';

/**
 * Time the plugin spent blocked on the AI host. Overlapping waits (call_ai_many) count once, so
 * `wall time − waitingMs` is the time the plugin really computed: the runtime's COMPUTE_LIMIT.
 */
export class WaitClock {
  private inFlight = 0;
  private since = 0;
  private total = 0;

  get waitingMs(): number {
    return this.total + (this.inFlight > 0 ? performance.now() - this.since : 0);
  }

  async time<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.since = performance.now();
    try {
      return await work();
    } finally {
      if (--this.inFlight === 0) this.total += performance.now() - this.since;
    }
  }
}

/** Runs async tasks with at most `limit` at a time; results keep the order of the tasks. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** The promise, or CANCELLED as soon as the signal aborts (the work itself goes on for others sharing it). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new WasmForgeError('CANCELLED', 'The run ended'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new WasmForgeError('CANCELLED', 'The run ended'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
