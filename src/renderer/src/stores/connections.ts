import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MarketStatus } from '../../../shared/api/schemas/marketplace.ts';
import type { ModelHealth } from '../../../shared/api/schemas/system.ts';
import { onAppEvents } from './events.ts';

interface ConnectionsState {
  /** Undefined until the backend's monitor has said (and again while the watch of it is lost). */
  ollama?: ModelHealth;
  market?: MarketStatus;
}

/**
 * Is Ollama there, is the marketplace there: the badges on Home and in the header. The backend's
 * health monitor decides, for every window at once, and pushes each change (connections.changed);
 * nothing here polls or guesses from other calls.
 */
export const connectionsStore: StoreApi<ConnectionsState> = createStore<ConnectionsState>(() => ({}));

onAppEvents(['connections.changed'], (event) => {
  if (event?.type === 'connections.changed') connectionsStore.setState({ ollama: event.ollama, market: event.market });
});

/** The watch of the backend was lost: what the badges said may no longer be true. */
export function forgetConnections(): void {
  connectionsStore.setState({ ollama: undefined, market: undefined });
}

export function useConnections<T>(selector: (state: ConnectionsState) => T): T {
  return useStore(connectionsStore, selector);
}
