import type { SqlQueryable } from './db/executor.ts';
import { searchPlugins, type SearchSource } from './search-sql.ts';
import type { PluginSummary, SearchPage, SearchQuery } from './types.ts';

/**
 * A local copy of what the marketplace showed, so browsing keeps working offline. Rows are
 * refreshed whenever a search succeeds; offline searches run the same query on this table.
 */
export async function cacheSummaries(local: SqlQueryable, marketplace: string, items: PluginSummary[]): Promise<void> {
  for (const item of items) {
    await local.query(`INSERT INTO library.catalog_cache (marketplace, name, owner, description, tags, latest_version, downloads,
        created_at, updated_at, owner_fingerprint, models) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
      ON CONFLICT (marketplace, name) DO UPDATE SET owner = EXCLUDED.owner, description = EXCLUDED.description, tags = EXCLUDED.tags,
        latest_version = EXCLUDED.latest_version, downloads = EXCLUDED.downloads, created_at = EXCLUDED.created_at,
        updated_at = EXCLUDED.updated_at, owner_fingerprint = EXCLUDED.owner_fingerprint, models = EXCLUDED.models, cached_at = now()`,
    [marketplace, item.name, item.owner, item.description, item.tags, item.latestVersion, item.downloads, item.createdAt, item.updatedAt,
      item.ownerFingerprint, item.models]);
  }
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
