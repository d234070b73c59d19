import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { MarketSort } from '../../../shared/api/schemas/marketplace.ts';
import { pluginFromHash, pluginHash, type PluginLink } from '../links.ts';

interface MarketState {
  text: string;
  tag?: string;
  sort: MarketSort;
  page: number;
  /** The plugin shown in the detail view (which version, and whether its install consent opens at once), if any. */
  open?: { name: string; version?: string; askInstall?: boolean };
  /** Tags seen in results so far: the tag filter offers them. */
  tagsSeen: string[];
  setText(text: string): void;
  setTag(tag: string | undefined): void;
  setSort(sort: MarketSort): void;
  setPage(page: number): void;
  openDetail(name: string, version?: string, askInstall?: boolean): void;
  closeDetail(): void;
  rememberTags(tags: string[]): void;
}

/** What the Marketplace screen shows, kept while the user visits other screens. A new query goes back to page 1. */
export const marketStore = createStore<MarketState>((set) => ({
  text: '',
  sort: 'relevance',
  page: 1,
  tagsSeen: [],
  setText: (text) => set({ text, page: 1 }),
  setTag: (tag) => set({ tag, page: 1, open: undefined }),
  setSort: (sort) => set({ sort, page: 1 }),
  setPage: (page) => set({ page }),
  openDetail: (name, version, askInstall) => set({ open: { name, version, ...(askInstall ? { askInstall } : {}) } }),
  closeDetail: () => set({ open: undefined }),
  rememberTags: (tags) => set((state) => {
    const next = [...new Set([...state.tagsSeen, ...tags])].sort();
    return next.length === state.tagsSeen.length ? {} : { tagsSeen: next };
  }),
}));

export function useMarket<T>(selector: (state: MarketState) => T): T {
  return useStore(marketStore, selector);
}

/** A link to a plugin's page in the address (`#/marketplace/name@1.0.0`) opens that page (never installs). */
export function openLinkedPlugin(): void {
  const link = pluginFromHash(window.location.hash);
  const { open, openDetail } = marketStore.getState();
  if (link && (open?.name !== link.name || open.version !== link.version)) openDetail(link.name, link.version);
}

/** The page shown is in the address, so reloading or sharing it opens the same page; leaving it goes back to the list's address. */
export function showInAddress(link: PluginLink | undefined): void {
  const hash = link ? pluginHash(link) : '#/marketplace';
  if (window.location.hash.startsWith('#/marketplace') && window.location.hash !== hash) history.replaceState(null, '', hash);
}
