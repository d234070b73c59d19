import { ApiError, cancelledError, unwrapEnvelope } from './api-error.ts';
import type { ApiClient, CallOptions, Envelope } from './types.ts';
import type { IpcReply, WasmForgeBridge } from './wire.ts';

interface Pending {
  onEvent?: (event: unknown) => void;
  settle: (envelope: Envelope) => void;
}

/**
 * The typed API over the preload's pipe. Calls and streams share one message flow keyed by id;
 * aborting a call rejects at once, aborting a stream asks the other side to cancel and still
 * waits for its final envelope (a cancelled run has a result worth showing).
 */
export function createIpcClient(bridge: WasmForgeBridge): ApiClient {
  const pending = new Map<number, Pending>();
  let nextId = 1;

  bridge.onMessage((message: IpcReply) => {
    if (message.kind === 'notice') return; // for the UI's notice, not for a call
    const entry = pending.get(message.id);
    if (!entry) return;
    if (message.kind === 'event') entry.onEvent?.(message.event);
    else {
      pending.delete(message.id);
      entry.settle(message.envelope);
    }
  });

  function send(route: string, input: unknown, options: CallOptions, onEvent?: (event: unknown) => void): Promise<unknown> {
    if (options.signal?.aborted) return Promise.reject(cancelledError());
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        bridge.send({ kind: 'cancel', id });
        if (!onEvent) {
          pending.delete(id);
          reject(cancelledError());
        }
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, {
        onEvent,
        settle: (envelope) => {
          options.signal?.removeEventListener('abort', onAbort);
          try {
            resolve(unwrapEnvelope(envelope));
          } catch (error) {
            reject(error instanceof ApiError ? error : new ApiError({ code: 'INTERNAL', message: String(error) }));
          }
        },
      });
      bridge.send({ kind: 'call', id, route, input });
    });
  }

  return {
    call: (route, input, options = {}) => send(route, input, options) as never,
    stream: (route, input, options) => send(route, input, options, options.onEvent as (event: unknown) => void) as never,
  };
}
