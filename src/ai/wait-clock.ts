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

/** The promise, or the signal's typed reason (else CANCELLED) as soon as it aborts; the work itself goes on for others sharing it. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  const stopped = () => (signal.reason instanceof WasmForgeError ? signal.reason : new WasmForgeError('CANCELLED', 'The run ended'));
  if (signal.aborted) return Promise.reject(stopped());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(stopped());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Runs `work` with a signal that aborts after `ms` (reason: `late()`) or when `run` aborts
 * (reason: CANCELLED), and settles by then even if the work ignores its signal.
 */
export async function raceDeadline<T>(run: AbortSignal, ms: number, late: () => WasmForgeError, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(late()), ms);
  const onRunEnd = () => controller.abort(new WasmForgeError('CANCELLED', 'The run ended while an AI call was under way'));
  run.addEventListener('abort', onRunEnd, { once: true });
  const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true }));
  aborted.catch(() => undefined);
  try {
    return await Promise.race([work(controller.signal), aborted]);
  } finally {
    clearTimeout(timer);
    run.removeEventListener('abort', onRunEnd);
  }
}
