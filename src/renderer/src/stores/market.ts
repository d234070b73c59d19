import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { MarketSort } from '../../../shared/api/schemas/marketplace.ts';

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
