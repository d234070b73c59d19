import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { ApiError, errorInfoOf } from '../../../shared/api/api-error.ts';
import type { MarketStatus } from '../../../shared/api/schemas/marketplace.ts';
import type { ModelHealth } from '../../../shared/api/schemas/system.ts';
import type { ApiClient } from '../../../shared/api/types.ts';
import { api } from '../api/client.ts';

interface ConnectionsState {
  ollama?: ModelHealth;
  market?: MarketStatus;
  /** Checks both now (or right after the check under way, so no answer is older than the ask). */
  refresh(): Promise<void>;
  /** A screen learned the marketplace is offline (a search fell back to the cache) before the next check. */
  markMarketOffline(): void;
}

const REFRESH_MS = 30_000;

/** The check under way, if any, and the one asked for during it. */
let running: Promise<void> | undefined;
let queued: Promise<void> | undefined;

async function check(): Promise<Pick<ConnectionsState, 'ollama' | 'market'>> {
  const [ollama, market] = await Promise.all([
    api().call('models.health', {}).catch((error: unknown): ModelHealth => ({ reachable: false, reason: errorInfoOf(error).message })),
    api().call('market.status', {}).catch((error: unknown): MarketStatus => ({
      mode: 'local', target: '', reachable: false, latencyMs: null, schema: 'unknown', user: null, pendingOutbox: null, summary: errorInfoOf(error).message,
    })),
  ]);
  return { ollama, market };
}

/** Is Ollama there, is the marketplace there: the badges on Home and in the header, kept fresh while shown. */
export const connectionsStore: StoreApi<ConnectionsState> = createStore<ConnectionsState>((set, get) => ({
  refresh(): Promise<void> {
    // A check asked for while one runs (say, right after a settings save) runs once it is over.
    if (running) {
      queued ??= running.then((): Promise<void> => {
        queued = undefined;
        return get().refresh();
      });
      return queued;
    }
    running = check().then((found) => set(found)).finally(() => {
      running = undefined;
    });
    return running;
  },
  markMarketOffline: () => set((state) => (state.market && state.market.reachable ? { market: { ...state.market, reachable: false } } : {})),
}));

let watchers = 0;
let timer: ReturnType<typeof setInterval> | undefined;

/** Refreshes now and every 30 s while at least one badge is on screen. */
export function watchConnections(): () => void {
  watchers += 1;
  if (watchers === 1) {
    void connectionsStore.getState().refresh();
    timer = setInterval(() => void connectionsStore.getState().refresh(), REFRESH_MS);
  }
  return () => {
    watchers -= 1;
    if (watchers === 0) clearInterval(timer);
  };
}

export function useConnections<T>(selector: (state: ConnectionsState) => T): T {
  return useStore(connectionsStore, selector);
}

/**
 * The badges follow what every other call learns, instead of waiting for the next 30 s check:
 * a settings change that moves Ollama or the marketplace, a marketplace call that worked while the
 * badge said offline (or one that found the database gone), a publish or an outbox that changed
 * what waits.
 */
export function trackConnections(client: ApiClient): ApiClient {
  const observe = <T>(route: string, input: unknown, work: Promise<T>): Promise<T> => work.then(
    (output) => {
      const state = connectionsStore.getState();
      // A search served from the cache has just learned the marketplace is offline: no check needed to say so.
      if (route === 'market.search' && (output as { offline?: boolean }).offline) state.markMarketOffline();
      else if (needsRefresh(route, input, output, state.market)) void state.refresh();
      return output;
    },
    (error: unknown) => {
      if (route.startsWith('market.') && error instanceof ApiError && error.code === 'DB_UNAVAILABLE') connectionsStore.getState().markMarketOffline();
      throw error;
    },
  );
  return {
    call: (route, input, options) => observe(route, input, client.call(route, input, options)),
    stream: (route, input, options) => observe(route, input, client.stream(route, input, options)),
  };
}

/** Whether a call that worked may have changed what the badges say. */
function needsRefresh(route: string, input: unknown, output: unknown, market: MarketStatus | undefined): boolean {
  if (route === 'settings.update') return typeof input === 'object' && input !== null && ('ollama' in input || 'marketplace' in input);
  if (route === 'market.publish' || route === 'market.retry') return true;
  if (route === 'market.outbox' && Array.isArray(output)) {
    return output.filter((item: { status?: string }) => item.status === 'pending').length !== (market?.pendingOutbox ?? 0);
  }
  return route.startsWith('market.') && route !== 'market.status' && market?.reachable === false;
}
