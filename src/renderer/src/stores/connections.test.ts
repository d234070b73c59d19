import { beforeEach, describe, expect, it } from 'vitest';
import type { MarketStatus } from '../../../shared/api/schemas/marketplace.ts';
import type { ApiClient } from '../../../shared/api/types.ts';
import { setApi } from '../api/client.ts';
import { connectionsStore, trackConnections } from './connections.ts';

/** A server whose marketplace can go away and come back; every route it is asked is kept. */
function fakeServer() {
  const server = {
    reachable: true,
    mode: 'local' as MarketStatus['mode'],
    asked: [] as string[],
    release: undefined as (() => void) | undefined,
    /** While set, market.status waits for release(): a check that is still under way. */
    holdStatus: false,
  };
  const answer = async (route: string): Promise<unknown> => {
    server.asked.push(route);
    if (route === 'models.health') return { reachable: true, version: '0.12.6' };
    if (route === 'market.status') {
      // The answer is what was true when asked, even if it arrives later.
      const status = { mode: server.mode, target: '', reachable: server.reachable, latencyMs: 1, schema: 'current', user: null, pendingOutbox: null, summary: '' };
      if (server.holdStatus) await new Promise<void>((resolve) => (server.release = resolve));
      return status;
    }
    if (route === 'market.search') return { items: [], total: 0, page: 1, pageSize: 12, offline: !server.reachable };
    return {};
  };
  const client = { call: (route: string) => answer(route), stream: (route: string) => answer(route) } as unknown as ApiClient;
  return { server, client };
}

const statusChecks = (asked: string[]): number => asked.filter((route) => route === 'market.status').length;

describe('the connection badges follow what other calls learn', () => {
  let fake: ReturnType<typeof fakeServer>;
  let api: ApiClient;
  beforeEach(async () => {
    fake = fakeServer();
    api = trackConnections(fake.client);
    setApi(api);
    await connectionsStore.getState().refresh();
  });

  it('goes offline when a search falls back to the cache, and back online after the next marketplace call that works', async () => {
    fake.server.reachable = false;
    await api.call('market.search', { text: '' });
    expect(connectionsStore.getState().market?.reachable).toBe(false);
    fake.server.reachable = true;
    await api.call('market.search', { text: '' });
    await expect.poll(() => connectionsStore.getState().market?.reachable).toBe(true);
  });

  it('checks again after a settings save that moves the marketplace or Ollama, not after a theme change', async () => {
    const before = statusChecks(fake.server.asked);
    await api.call('settings.update', { ui: { theme: 'light' } });
    expect(statusChecks(fake.server.asked)).toBe(before);
    fake.server.mode = 'shared';
    await api.call('settings.update', { marketplace: { databaseUrl: 'postgres://db/market' } });
    await expect.poll(() => connectionsStore.getState().market?.mode).toBe('shared');
  });

  it('never keeps an answer older than the ask: a check asked for during another runs after it', async () => {
    fake.server.holdStatus = true;
    const first = connectionsStore.getState().refresh();
    await expect.poll(() => fake.server.release).toBeDefined();
    fake.server.holdStatus = false;
    fake.server.mode = 'shared';
    const second = connectionsStore.getState().refresh();
    fake.server.release!();
    await Promise.all([first, second]);
    expect(connectionsStore.getState().market?.mode).toBe('shared');
  });
});
