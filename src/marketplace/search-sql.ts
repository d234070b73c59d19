import { isoDate } from './db/dates.ts';
import type { SqlQueryable } from './db/executor.ts';
import { searchQuerySchema, type PluginSummary, type SearchPage, type SearchQuery } from './types.ts';

/**
 * Search over name, description and tags, and the author (role or display name). Each word must appear (substring, case-insensitive) in
 * the lowercased search document; a pg_trgm GIN index serves these LIKE patterns. The same
 * builder runs on the marketplace table and on the local offline cache, with every value a
 * bound parameter.
 */
export interface SearchSource {
  /** FROM clause, e.g. `marketplace.plugins p`. */
  from: string;
  /** Expression for the lowercased searchable text. */
  document: string;
  /** Expressions for `owner_fingerprint`, `owner_name` and `models` (stored in the cache, looked up in the marketplace). */
  extraColumns: string;
  /** Expression for the lowercased owner's role and display name: a word may match the author instead. */
  ownerDocument: string;
  /** Extra fixed condition with its own parameters (e.g. the cache's marketplace id). */
  scope?: { condition: (param: (value: unknown) => string) => string; };
}

/**
 * An author row whose key may be shown and trusted: proven (migration 7), or registered before
 * proofs existed and proven by no other role (a squatter's copy of someone's key is ignored).
 */
export function trustedAuthor(alias: string): string {
  return `(${alias}.proven OR NOT EXISTS (SELECT 1 FROM marketplace.authors x
    WHERE x.fingerprint = ${alias}.fingerprint AND x.proven AND x.role_name <> ${alias}.role_name))`;
}

// Subqueries in the select list run only for the rows of the page (after the sort and limit).
const OWNER_NAME = '(SELECT a.display_name FROM marketplace.authors a WHERE a.role_name = p.owner)';
export const MARKETPLACE_EXTRA_COLUMNS = `(SELECT a.fingerprint FROM marketplace.authors a WHERE a.role_name = p.owner AND ${trustedAuthor('a')}) AS owner_fingerprint,
  ${OWNER_NAME} AS owner_name,
  coalesce((SELECT array_agg(model) FROM marketplace.versions v, jsonb_array_elements_text(v.manifest -> 'models') AS model
    WHERE v.plugin = p.name AND v.version = p.latest_version), '{}') AS models`;

/** Unpublished plugins keep their row (the name stays reserved) but are never listed. */
export const LISTED = 'p.unpublished_at IS NULL';

// The listing view counts downloads from their own table (migration 8: counting locks no plugin row).
export const MARKETPLACE_SOURCE: SearchSource = {
  from: 'marketplace.listing p', document: 'p.search_document', extraColumns: MARKETPLACE_EXTRA_COLUMNS,
  ownerDocument: `lower(p.owner || ' ' || coalesce(${OWNER_NAME}, ''))`,
  scope: { condition: () => LISTED },
};

export const SUMMARY_COLUMNS = `p.name, p.owner, p.description, p.tags, p.latest_version, p.downloads::float8 AS downloads,
  p.created_at, p.updated_at`;

export interface SummaryRow {
  name: string;
  owner: string;
  description: string;
  tags: string[];
  latest_version: string | null;
  downloads: number;
  created_at: Date | string;
  updated_at: Date | string;
  owner_fingerprint: string | null;
  owner_name: string | null;
  models: string[] | null;
}

export async function searchPlugins(db: SqlQueryable, source: SearchSource, input: SearchQuery): Promise<Omit<SearchPage, 'offline'>> {
  const query = searchQuerySchema.parse(input);
  const params: unknown[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const words = query.text.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
  const conditions = words.map((word) => {
    const pattern = param(`%${escapeLike(word)}%`);
    return `(${source.document} LIKE ${pattern} OR ${source.ownerDocument} LIKE ${pattern})`;
  });
  if (query.tag) conditions.push(`p.tags @> ARRAY[${param(query.tag)}]::text[]`);
  if (source.scope) conditions.push(source.scope.condition(param));
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  const whereParams = [...params];
  const sort = query.sort ?? (words.length > 0 ? 'relevance' : 'downloads');
  const order = sort === 'newest' ? 'p.updated_at DESC, p.name'
    : sort === 'downloads' ? 'p.downloads DESC, p.name'
      : `(p.name = ${param(query.text.trim().toLowerCase())}) DESC, (p.name LIKE ${param(`${escapeLike(words[0] ?? '')}%`)}) DESC, p.downloads DESC, p.name`;
  const offset = (query.page - 1) * query.pageSize;
  const rows = await db.query<SummaryRow & { total: number }>(
    `SELECT ${SUMMARY_COLUMNS}, ${source.extraColumns}, count(*) OVER ()::int AS total FROM ${source.from} ${where}
     ORDER BY ${order} LIMIT ${param(query.pageSize)} OFFSET ${param(offset)}`, params);
  const total = rows[0]?.total ?? (offset > 0 ? await countOnly(db, source, where, whereParams) : 0);
  return { items: rows.map(toSummary), total: Number(total), page: query.page, pageSize: query.pageSize };
}

async function countOnly(db: SqlQueryable, source: SearchSource, where: string, whereParams: unknown[]): Promise<number> {
  // The page lies past the end; the window count saw no rows, so count separately.
  const [row] = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM ${source.from} ${where}`, whereParams);
  return row?.total ?? 0;
}

export function toSummary(row: SummaryRow): PluginSummary {
  return {
    name: row.name,
    owner: row.owner,
    description: row.description,
    tags: [...row.tags],
    latestVersion: row.latest_version,
    downloads: Number(row.downloads),
    ownerFingerprint: row.owner_fingerprint,
    ownerName: row.owner_name,
    models: [...(row.models ?? [])],
    createdAt: isoDate(row.created_at),
    updatedAt: isoDate(row.updated_at),
  };
}

export { isoDate };

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
