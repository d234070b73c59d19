import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.ts';
import { checkedEvents } from './checked-events.ts';
import { apiRoutes } from './routes.ts';
import type { ApiClient } from './types.ts';

/** A transport stand-in: pushes the given events, then answers (a cancelled stream still answers, as the real ones do). */
function pushing(events: unknown[], seen: { aborted?: boolean }): ApiClient {
  return {
    call: () => Promise.reject(new Error('not used')),
    stream: (async (_route: string, _input: unknown, options: { signal?: AbortSignal; onEvent: (event: unknown) => void }) => {
      for (const event of events) options.onEvent(event);
      seen.aborted = options.signal?.aborted;
      return { name: 'm', status: 'success' };
    }) as ApiClient['stream'],
  };
}

describe('stream events checked where they arrive', () => {
  it('every stream route describes its events in the contract', () => {
    const streams = Object.entries(apiRoutes).filter(([, route]) => route.kind === 'stream').map(([name]) => name);
    expect(streams.sort()).toEqual(['events.watch', 'market.publish', 'models.pull', 'runs.run', 'tests.run']);
    for (const name of streams) expect((apiRoutes as Record<string, { event?: unknown }>)[name]!.event).toBeDefined();
  });

  it('hands on events that match their schema', async () => {
    const received: unknown[] = [];
    const progress = { status: 'pulling', completedBytes: 1, totalBytes: 2 };
    const client = checkedEvents(pushing([progress], {}));
    await expect(client.stream('models.pull', { name: 'm' }, { onEvent: (e) => received.push(e) })).resolves.toEqual({ name: 'm', status: 'success' });
    expect(received).toEqual([progress]);
  });

  it('refuses a malformed event with a typed error, cancels the stream and hands on nothing after it', async () => {
    const received: unknown[] = [];
    const seen: { aborted?: boolean } = {};
    const client = checkedEvents(pushing([{ status: 'pulling', completedBytes: 'lots' }, { status: 'ok', completedBytes: 1, totalBytes: 1 }], seen));
    const error = await client.stream('models.pull', { name: 'm' }, { onEvent: (e) => received.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('models.pull event outside the contract') });
    expect(received).toEqual([]);
    expect(seen.aborted).toBe(true);
  });

  it('refuses a run event the contract does not know (a result event is no longer one: the result comes once)', async () => {
    const client = checkedEvents(pushing([{ type: 'result', result: {} }], {}));
    await expect(client.stream('runs.run', { code: '' }, { onEvent: () => undefined })).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
