import { ApiError, cancelledError, unwrapEnvelope } from '../shared/api/api-error.ts';
import type { ApiClient, Dispatcher } from '../shared/api/types.ts';

/** The typed API in the same process (CLI, tests): same validation and envelopes, no transport. */
export function createDirectClient(dispatcher: Dispatcher): ApiClient {
  async function send(route: string, input: unknown, signal: AbortSignal | undefined, onEvent: (event: unknown) => void): Promise<unknown> {
    if (signal?.aborted) throw cancelledError();
    const envelope = await dispatcher.dispatch(route, structuredClone(input), { signal: signal ?? new AbortController().signal, emit: onEvent });
    try {
      return unwrapEnvelope(envelope);
    } catch (error) {
      throw error instanceof ApiError ? error : new ApiError({ code: 'INTERNAL', message: String(error) });
    }
  }
  return {
    call: (route, input, options) => send(route, input, options?.signal, () => undefined) as never,
    stream: (route, input, options) => send(route, input, options.signal, options.onEvent as (event: unknown) => void) as never,
  };
}
