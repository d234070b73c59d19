import type { SqlExecutor, SqlQueryable } from './db/executor.ts';
import { searchPlugins, type SearchSource } from './search-sql.ts';
import type { MarketplaceStore } from './store.ts';
import type { OfflineReason } from '../shared/api/schemas/marketplace.ts';
import type { PluginSummary, SearchPage, SearchQuery } from './types.ts';

/**
 * A local copy of the marketplace catalog (plugin summaries), so browsing keeps working offline.
 * Every page a search shows is stored at once; after an online search the whole catalog is
 * copied in the background (CatalogCopier). Offline searches run the same query on this table.
 */
export async function cacheSummaries(local: SqlQueryable, marketplace: string, items: PluginSummary[]): Promise<void> {
  if (items.length === 0) return;
  // One statement for any number of rows: the rows travel as one JSON parameter.
  await local.query(`INSERT INTO library.catalog_cache (marketplace, name, owner, description, tags, latest_version, downloads,
      created_at, updated_at, owner_fingerprint, owner_name, models)
    SELECT $1, r.name, r.owner, r.description, r.tags, r."latestVersion", r.downloads, r."createdAt", r."updatedAt",
      r."ownerFingerprint", r."ownerName", r.models
    FROM jsonb_to_recordset($2::jsonb) AS r(name text, owner text, description text, tags text[], "latestVersion" text,
      downloads bigint, "createdAt" timestamptz, "updatedAt" timestamptz, "ownerFingerprint" text, "ownerName" text, models text[])
    ON CONFLICT (marketplace, name) DO UPDATE SET owner = EXCLUDED.owner, description = EXCLUDED.description, tags = EXCLUDED.tags,
      latest_version = EXCLUDED.latest_version, downloads = EXCLUDED.downloads, created_at = EXCLUDED.created_at,
      updated_at = EXCLUDED.updated_at, owner_fingerprint = EXCLUDED.owner_fingerprint, owner_name = EXCLUDED.owner_name, models = EXCLUDED.models, cached_at = now()`,
  [marketplace, JSON.stringify(items)]);
}

export async function forgetCached(local: SqlQueryable, marketplace: string, name: string): Promise<void> {
  await local.query('DELETE FROM library.catalog_cache WHERE marketplace = $1 AND name = $2', [marketplace, name]);
}

/** The copy answers a search while the marketplace is away; `offline` says why (the database's error). */
export async function searchCache(local: SqlQueryable, marketplace: string, query: SearchQuery, offline: OfflineReason): Promise<SearchPage> {
  const source: SearchSource = {
    from: 'library.catalog_cache p',
    document: `lower(p.name || ' ' || p.description || ' ' || array_to_string(p.tags, ' '))`,
    extraColumns: 'p.owner_fingerprint, p.owner_name, p.models',
    ownerDocument: `lower(p.owner || ' ' || coalesce(p.owner_name, ''))`,
    scope: { condition: (param) => `p.marketplace = ${param(marketplace)}` },
  };
  return { ...(await searchPlugins(local, source, query)), offline };
}

export async function cachedLatest(local: SqlQueryable, marketplace: string, name: string): Promise<string | null> {
  const [row] = await local.query<{ latest_version: string | null }>(
    'SELECT latest_version FROM library.catalog_cache WHERE marketplace = $1 AND name = $2', [marketplace, name]);
  return row?.latest_version ?? null;
}

export interface CatalogCopyBounds {
  /** At most one copy per this many ms (the first is right away). */
  everyMs: number;
  /** A catalog larger than this is copied only this far (and nothing is dropped from the cache). */
  maxPlugins: number;
  /** Plugins per query. */
  pageSize: number;
}

export const DEFAULT_CATALOG_COPY: CatalogCopyBounds = { everyMs: 10 * 60_000, maxPlugins: 5000, pageSize: 200 };

/**
 * Copies the whole catalog into the cache in the background: bounded (at most `maxPlugins`
 * summaries, `pageSize` per query, in name order by the primary key) and cheap (at most once per
 * `everyMs`, judged by the last copy recorded in the local database, so a freshly opened
 * marketplace does not copy again; one copy at a time; never in the way of the call that
 * triggered it). Plugins no longer listed leave the cache once a copy saw the whole catalog.
 * A copy reads everything first and writes it in one transaction, so stopping it mid-way leaves
 * the cache as it was.
 */
export class CatalogCopier {
  private running: { done: Promise<void>; stop: AbortController } | null = null;
  private lastAttemptAt = -Infinity;

  constructor(
    private readonly store: MarketplaceStore,
    private readonly local: SqlExecutor,
    private readonly marketplace: string,
    private readonly bounds: CatalogCopyBounds = DEFAULT_CATALOG_COPY,
  ) {}

  /** Starts a copy unless one is under way or ran recently; failures only mean a later one will try. */
  trigger(): void {
    if (this.running || performance.now() - this.lastAttemptAt < this.bounds.everyMs) return;
    this.lastAttemptAt = performance.now();
    const stop = new AbortController();
    const running = {
      stop,
      done: this.copyUnlessRecent(stop.signal).catch(() => undefined).finally(() => {
        if (this.running === running) this.running = null;
      }),
    };
    this.running = running;
  }

  /** Settles when no copy is under way. */
  async settled(): Promise<void> {
    await this.running?.done;
  }

  /**
   * Stops a copy under way without waiting for the marketplace: a page read in flight is left to
   * finish unheard, a local write under way completes. True when there was a copy to stop.
   */
  async stop(): Promise<boolean> {
    const running = this.running;
    if (!running) return false;
    running.stop.abort();
    await running.done;
    return true;
  }

  private async copyUnlessRecent(signal: AbortSignal): Promise<void> {
    if (await this.copiedWithin(this.bounds.everyMs)) return;
    const { summaries, complete } = await this.readCatalog(signal);
    signal.throwIfAborted();
    await this.local.transaction(async (tx) => {
      await cacheSummaries(tx, this.marketplace, summaries);
      if (complete) {
        await tx.query('DELETE FROM library.catalog_cache WHERE marketplace = $1 AND NOT (name = ANY($2::text[]))',
          [this.marketplace, summaries.map((summary) => summary.name)]);
      }
      await tx.query(`INSERT INTO library.catalog_copies (marketplace, copied_at) VALUES ($1, now())
        ON CONFLICT (marketplace) DO UPDATE SET copied_at = EXCLUDED.copied_at`, [this.marketplace]);
    });
  }

  /** A copy recorded in the last `ms` (one dated in the future, after a clock change, does not count). */
  private async copiedWithin(ms: number): Promise<boolean> {
    const rows = await this.local.query(`SELECT 1 FROM library.catalog_copies WHERE marketplace = $1
      AND copied_at > now() - $2::double precision * interval '1 millisecond' AND copied_at <= now()`, [this.marketplace, ms]);
    return rows.length > 0;
  }

  /** The catalog a page at a time, up to the bound; an abort abandons the page in flight. */
  private async readCatalog(signal: AbortSignal): Promise<{ summaries: PluginSummary[]; complete: boolean }> {
    const stopped = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
    stopped.catch(() => undefined);
    const summaries: PluginSummary[] = [];
    let complete = false;
    while (!complete && summaries.length < this.bounds.maxPlugins) {
      signal.throwIfAborted();
      const wanted = Math.min(this.bounds.pageSize, this.bounds.maxPlugins - summaries.length);
      const page = await Promise.race([this.store.catalogPage(summaries.at(-1)?.name ?? '', wanted), stopped]);
      summaries.push(...page);
      complete = page.length < wanted;
    }
    return { summaries, complete };
  }
}
