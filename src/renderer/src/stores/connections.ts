import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { MarketStatus } from '../../../shared/api/schemas/marketplace.ts';
import type { ModelHealth } from '../../../shared/api/schemas/system.ts';
import { api } from '../api/client.ts';
import { errorInfoOf } from '../api/errors.ts';

interface ConnectionsState {
  ollama?: ModelHealth;
  market?: MarketStatus;
  checking: boolean;
  refresh(): Promise<void>;
  /** A screen learned the marketplace is offline (a search fell back to the cache) before the next check. */
  markMarketOffline(): void;
}

const REFRESH_MS = 30_000;

/** Is Ollama there, is the marketplace there: the badges on Home and in the header, kept fresh while shown. */
export const connectionsStore = createStore<ConnectionsState>((set, get) => ({
  checking: false,
  async refresh() {
    if (get().checking) return;
    set({ checking: true });
    const [ollama, market] = await Promise.all([
      api().call('models.health', {}).catch((error: unknown): ModelHealth => ({ reachable: false, reason: errorInfoOf(error).message })),
      api().call('market.status', {}).catch((error: unknown): MarketStatus => ({
        mode: 'local', target: '', reachable: false, latencyMs: null, schema: 'unknown', user: null, pendingOutbox: null, summary: errorInfoOf(error).message,
      })),
    ]);
    set({ ollama, market, checking: false });
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
