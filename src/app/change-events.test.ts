import { describe, expect, it } from 'vitest';
import type { AppEvent } from '../shared/api/schemas/events.ts';
import type { ApiHandlers } from '../shared/api/types.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { AppEvents } from './app-events.ts';
import { announcingChanges, CHANGES_OF } from './change-events.ts';

type Loose = (input: unknown, context: unknown) => Promise<unknown>;

/** Handlers that answer, or throw what the test says, for every route named. */
function stubs(outcome: () => unknown): ApiHandlers {
  const routes = [...Object.keys(CHANGES_OF), 'plugins.list', 'market.search', 'market.status'];
  return Object.fromEntries(routes.map((route) => [route, async () => {
    const result = outcome();
    if (result instanceof Error) throw result;
    return result;
  }])) as unknown as ApiHandlers;
}

function announcing(outcome: () => unknown) {
  const events = new AppEvents();
  const heard: AppEvent[] = [];
  events.subscribe((event) => heard.push(event));
  const woken: Array<string | undefined> = [];
  const monitor = { wake: (side?: string) => woken.push(side), marketAnswered: () => woken.push('answered') };
  const handlers = announcingChanges(stubs(outcome), { events, monitor: monitor as never }) as unknown as Record<string, Loose>;
  return { handlers, heard, woken };
}

describe('changes announced after the routes that make them', () => {
  it('announces what a mutation changed once it succeeded, and nothing for a read', async () => {
    const { handlers, heard } = announcing(() => ({}));
    await handlers['market.install']!({}, {});
    await handlers['plugins.list']!({}, {});
    await handlers['models.approve']!({}, {});
    expect(heard.map((event) => event.type)).toEqual(['library.changed', 'market.changed', 'models.changed']);
  });

  it('announces nothing when the mutation failed', async () => {
    const { handlers, heard } = announcing(() => new WasmForgeError('NOT_FOUND', 'no such plugin'));
    await expect(handlers['plugins.delete']!({}, {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(heard).toEqual([]);
  });

  it('a marketplace call that finds the database away has the monitor check the marketplace now', async () => {
    const { handlers, woken } = announcing(() => new WasmForgeError('DB_UNAVAILABLE', 'connection refused'));
    await expect(handlers['market.search']!({}, {})).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
    await expect(handlers['plugins.save']!({}, {})).rejects.toMatchObject({ code: 'DB_UNAVAILABLE' });
    expect(woken).toEqual(['market']);
  });

  it('a marketplace read the database answered tells the monitor (a search served from the cache does not)', async () => {
    const online = announcing(() => ({ items: [], offline: null }));
    await online.handlers['market.search']!({}, {});
    const cached = announcing(() => ({ items: [], offline: { reason: 'unreachable' } }));
    await cached.handlers['market.search']!({}, {});
    await cached.handlers['plugins.list']!({}, {});
    expect([online.woken, cached.woken]).toEqual([['answered'], []]);
  });
});
