import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEvent } from '../../../shared/api/schemas/events.ts';
import type { ApiClient } from '../../../shared/api/types.ts';
import { connectionsStore, forgetConnections } from './connections.ts';
import { onAppEvents, watchAppEvents } from './events.ts';

const connections = (ollamaUp: boolean): AppEvent => ({
  type: 'connections.changed',
  ollama: ollamaUp ? { reachable: true, version: '0.12.6' } : { reachable: false, reason: 'connection refused' },
  market: { mode: 'local', target: '/data', reachable: true, latencyMs: null, schema: 'current', user: null, pendingOutbox: 0, summary: 'local' },
});

/** A backend whose events.watch the test drives: push events into the open watch, or drop it. */
function fakeBackend() {
  const backend = { asked: [] as string[], watches: 0, push: (_event: AppEvent) => undefined as void, drop: () => undefined as void };
  const client = {
    call: (route: string) => {
      backend.asked.push(route);
      return Promise.resolve({});
    },
    stream: (route: string, _input: unknown, options: { signal?: AbortSignal; onEvent: (event: AppEvent) => void }) => {
      backend.asked.push(route);
      backend.watches += 1;
      return new Promise((resolve, reject) => {
        backend.push = options.onEvent;
        backend.drop = () => reject(new Error('lost'));
        options.signal?.addEventListener('abort', () => resolve({}), { once: true });
      });
    },
  } as unknown as ApiClient;
  return { backend, client };
}

describe('the connection badges follow the backend’s events', () => {
  let stop: (() => void) | undefined;
  afterEach(() => {
    stop?.();
    forgetConnections();
  });

  it('show what the monitor pushes, and never ask anything themselves (no polling)', async () => {
    const { backend, client } = fakeBackend();
    stop = watchAppEvents(client);
    await vi.waitFor(() => expect(backend.watches).toBe(1));
    backend.push(connections(true));
    expect(connectionsStore.getState().ollama).toMatchObject({ reachable: true, version: '0.12.6' });
    backend.push(connections(false));
    expect(connectionsStore.getState().ollama).toMatchObject({ reachable: false, reason: 'connection refused' });
    expect(backend.asked).toEqual(['events.watch']);
  });

  it('forget what they said when the watch is lost, watch again, and have every list read again once it is back', async () => {
    const { backend, client } = fakeBackend();
    const reread: Array<string | undefined> = [];
    const off = onAppEvents(['library.changed'], (event) => reread.push(event?.type));
    stop = watchAppEvents(client, { retryMs: 10, onLost: forgetConnections });
    await vi.waitFor(() => expect(backend.watches).toBe(1));
    backend.push(connections(true));
    backend.push({ type: 'library.changed' });
    backend.drop();
    await vi.waitFor(() => expect(connectionsStore.getState().ollama).toBeUndefined());
    await vi.waitFor(() => expect(backend.watches).toBe(2));
    backend.push(connections(false));
    expect(connectionsStore.getState().ollama?.reachable).toBe(false);
    // Told once for the event, once (with no event) for what may have been missed while the watch was lost.
    expect(reread).toEqual(['library.changed', undefined]);
    off();
  });
});
