import { useEffect, useRef, useState } from 'react';
import type { MarketSort } from '../../../../shared/api/schemas/marketplace.ts';
import { api } from '../../api/client.ts';
import { registerCommands } from '../../commands.ts';
import { Empty, ErrorBanner, Loading } from '../../components/States.tsx';
import { marketStore, useMarket } from '../../stores/market.ts';
import { useData } from '../../use-data.ts';
import { PluginCard } from './PluginCard.tsx';
import { TextWithCode } from '../../components/TextWithCode.tsx';

const PAGE_SIZE = 12;
const TYPING_PAUSE_MS = 250;
// Type-only imports from the contract keep zod out of the renderer's bundles.
const SORT_LABELS: Record<MarketSort, string> = { relevance: 'Best match', downloads: 'Most downloaded', newest: 'Newest' };
const SORTS = Object.keys(SORT_LABELS) as MarketSort[];

/** Search as you type, filter by tag, sort, page through the cards. */
export function Browse(): React.JSX.Element {
  const { text, tag, sort, page, tagsSeen } = useMarket((s) => s);
  const typed = useDebounced(text, TYPING_PAUSE_MS);
  const results = useData(() => api().call('market.search', { text: typed, ...(tag ? { tag } : {}), sort, page, pageSize: PAGE_SIZE }), [typed, tag, sort, page], { refreshOn: ['market.changed'] });
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => registerCommands({ search: () => search.current?.focus() }));
  useEffect(() => {
    if (results.data) marketStore.getState().rememberTags(results.data.items.flatMap((item) => item.tags));
  }, [results.data]);

  const pages = results.data ? Math.max(1, Math.ceil(results.data.total / PAGE_SIZE)) : 1;
  return (
    <section className="browse" aria-label="Browse the marketplace">
      <div className="toolbar" role="search">
        <input ref={search} type="search" autoFocus aria-label="Search plugins" placeholder="Search plugins (press / to come back here)…" value={text}
          onChange={(e) => marketStore.getState().setText(e.target.value)} maxLength={200}
          // The box opens focused and says "press / to come back here": a / typed into it empty is that shortcut, not a search.
          onKeyDown={(e) => e.key === '/' && !e.currentTarget.value && e.preventDefault()} />
        <label className="inline-field">Tag
          <select value={tag ?? ''} onChange={(e) => marketStore.getState().setTag(e.target.value || undefined)} aria-label="Filter by tag">
            <option value="">Any tag</option>
            {[...new Set([...tagsSeen, ...(tag ? [tag] : [])])].map((t) => <option key={t} value={t}>#{t}</option>)}
          </select>
        </label>
        <label className="inline-field">Sort
          <select value={sort} onChange={(e) => marketStore.getState().setSort(e.target.value as MarketSort)} aria-label="Sort by">
            {SORTS.map((s) => <option key={s} value={s}>{SORT_LABELS[s]}</option>)}
          </select>
        </label>
        {results.loading && <span className="spinner" role="status" aria-label="Searching" />}
        {results.data?.offline && <span className="badge tone-error" data-testid="offline-badge" title="The marketplace database is unreachable; these are the results this machine saw last">Offline · cached results</span>}
      </div>
      {/* Why the marketplace is away and the fix, as the database said: a badge alone hides a setting to correct. */}
      {results.data?.offline && (
        <div className="notice tone-error" data-testid="offline-reason">
          <strong>{results.data.items.length > 0 ? 'Marketplace unreachable: showing the results this machine saw last.' : 'Marketplace unreachable.'}</strong>{' '}
          <TextWithCode text={results.data.offline.reason} />
          {results.data.offline.hint && <div className="hint"><TextWithCode text={results.data.offline.hint} /></div>}
        </div>
      )}
      {results.error && <ErrorBanner error={results.error} onRetry={results.reload} />}
      {!results.data && !results.error && <Loading label="Searching the marketplace…" />}
      {results.data && results.data.items.length === 0 && (
        <Empty title={results.data.offline ? 'Nothing cached for this search' : 'No plugins found'}>
          {results.data.offline ? 'The marketplace is offline; only results seen before are available.' : typed || tag ? 'Try other words or another tag.' : 'Nobody has published a plugin yet. Publish yours from the Builder.'}
        </Empty>
      )}
      <div className="card-grid" aria-live="polite">
        {results.data?.items.map((card) => <PluginCard key={card.name} card={card} />)}
      </div>
      {results.data && results.data.total > PAGE_SIZE && (
        <nav className="pagination" aria-label="Result pages">
          <button type="button" disabled={page <= 1} onClick={() => marketStore.getState().setPage(page - 1)}>← Previous</button>
          <span>Page {page} of {pages} · {results.data.total} plugins</span>
          <button type="button" disabled={page >= pages} onClick={() => marketStore.getState().setPage(page + 1)}>Next →</button>
        </nav>
      )}
    </section>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
