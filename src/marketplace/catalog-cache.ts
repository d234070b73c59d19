import type { SqlExecutor, SqlQueryable } from './db/executor.ts';
import { searchPlugins, type SearchSource } from './search-sql.ts';
import type { MarketplaceStore } from './store.ts';
import type { PluginSummary, SearchPage, SearchQuery } from './types.ts';

/**
 * A local copy of the marketplace catalog (plugin summaries), so browsing keeps working offline.
 * Every page a search shows is stored at once; after a successful online call the whole catalog
 * is copied in the background (CatalogCopier). Offline searches run the same query on this table.
 */
export async function cacheSummaries(local: SqlQueryable, marketplace: string, items: PluginSummary[]): Promise<void> {
  if (items.length === 0) return;
  // One statement for any number of rows: the rows travel as one JSON parameter.
  await local.query(`INSERT INTO library.catalog_cache (marketplace, name, owner, description, tags, latest_version, downloads,
      created_at, updated_at, owner_fingerprint, models)
    SELECT $1, r.name, r.owner, r.description, r.tags, r."latestVersion", r.downloads, r."createdAt", r."updatedAt",
      r."ownerFingerprint", r.models
    FROM jsonb_to_recordset($2::jsonb) AS r(name text, owner text, description text, tags text[], "latestVersion" text,
      downloads bigint, "createdAt" timestamptz, "updatedAt" timestamptz, "ownerFingerprint" text, models text[])
    ON CONFLICT (marketplace, name) DO UPDATE SET owner = EXCLUDED.owner, description = EXCLUDED.description, tags = EXCLUDED.tags,
      latest_version = EXCLUDED.latest_version, downloads = EXCLUDED.downloads, created_at = EXCLUDED.created_at,
      updated_at = EXCLUDED.updated_at, owner_fingerprint = EXCLUDED.owner_fingerprint, models = EXCLUDED.models, cached_at = now()`,
  [marketplace, JSON.stringify(items)]);
}

export async function forgetCached(local: SqlQueryable, marketplace: string, name: string): Promise<void> {
  await local.query('DELETE FROM library.catalog_cache WHERE marketplace = $1 AND name = $2', [marketplace, name]);
}

export async function searchCache(local: SqlQueryable, marketplace: string, query: SearchQuery): Promise<SearchPage> {
  const source: SearchSource = {
    from: 'library.catalog_cache p',
    document: `lower(p.name || ' ' || p.description || ' ' || array_to_string(p.tags, ' '))`,
    extraColumns: 'p.owner_fingerprint, p.models',
    scope: { condition: (param) => `p.marketplace = ${param(marketplace)}` },
  };
  return { ...(await searchPlugins(local, source, query)), offline: true };
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
 * `everyMs`, one copy at a time, never in the way of the call that triggered it). Plugins no
 * longer listed leave the cache once a copy saw the whole catalog.
 */
export class CatalogCopier {
  private running: Promise<void> | null = null;
  private lastStartedAt = -Infinity;

  constructor(
    private readonly store: MarketplaceStore,
    private readonly local: SqlExecutor,
    private readonly marketplace: string,
    private readonly bounds: CatalogCopyBounds = DEFAULT_CATALOG_COPY,
  ) {}

  /** Starts a copy unless one is under way or ran recently; failures only mean the next one will try. */
  trigger(): void {
    if (this.running || performance.now() - this.lastStartedAt < this.bounds.everyMs) return;
    this.lastStartedAt = performance.now();
    this.running = this.copy().catch(() => undefined).finally(() => { this.running = null; });
  }

  /** Settles when no copy is under way. */
  async settled(): Promise<void> {
    await this.running;
  }

  private async copy(): Promise<void> {
    const summaries: PluginSummary[] = [];
    let complete = false;
    while (!complete && summaries.length < this.bounds.maxPlugins) {
      const wanted = Math.min(this.bounds.pageSize, this.bounds.maxPlugins - summaries.length);
      const page = await this.store.catalogPage(summaries.at(-1)?.name ?? '', wanted);
      summaries.push(...page);
      complete = page.length < wanted;
    }
    await this.local.transaction(async (tx) => {
      await cacheSummaries(tx, this.marketplace, summaries);
      if (complete) {
        await tx.query('DELETE FROM library.catalog_cache WHERE marketplace = $1 AND NOT (name = ANY($2::text[]))',
          [this.marketplace, summaries.map((summary) => summary.name)]);
      }
    });
  }
}
