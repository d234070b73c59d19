import { describe, expect, it } from 'vitest';
import { checkedEvents } from '../checked-events.ts';
import type { ApiClient } from '../types.ts';
import { APP_EVENT_TYPES, appEventSchema } from './events.ts';

const connections = {
  type: 'connections.changed',
  ollama: { reachable: false, reason: 'connection refused' },
  market: { mode: 'local', target: '/data', reachable: true, latencyMs: null, schema: 'current', user: null, pendingOutbox: 0, summary: 'local' },
};

describe('app events in the contract', () => {
  it('names every kind of change a client invalidates from', () => {
    expect(APP_EVENT_TYPES.sort()).toEqual([
      'connections.changed', 'history.changed', 'library.changed', 'market.changed', 'models.changed', 'outbox.changed', 'settings.changed',
    ]);
  });

  it('accepts the connections with both verdicts, and a change by its name alone', () => {
    expect(appEventSchema.parse(connections)).toEqual(connections);
    expect(appEventSchema.parse({ type: 'library.changed' })).toEqual({ type: 'library.changed' });
  });

  it('refuses an unknown event, connections without the marketplace, and a verdict of the wrong shape', () => {
    expect(appEventSchema.safeParse({ type: 'everything.changed' }).success).toBe(false);
    expect(appEventSchema.safeParse({ type: 'connections.changed', ollama: connections.ollama }).success).toBe(false);
    expect(appEventSchema.safeParse({ ...connections, ollama: { reachable: 'yes' } }).success).toBe(false);
  });

  it('a malformed event from the server ends the watch with a typed error on arrival, and is never handed on', async () => {
    const heard: unknown[] = [];
    const server = {
      call: () => Promise.reject(new Error('not used')),
      stream: (async (_route: string, _input: unknown, options: { onEvent: (event: unknown) => void }) => {
        options.onEvent(connections);
        options.onEvent({ type: 'connections.changed', ollama: { reachable: true } });
        return {};
      }) as ApiClient['stream'],
    } as ApiClient;
    const watch = checkedEvents(server).stream('events.watch', {}, { onEvent: (event) => heard.push(event) });
    await expect(watch).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('events.watch event outside the contract') });
    expect(heard).toEqual([connections]);
  });
});
