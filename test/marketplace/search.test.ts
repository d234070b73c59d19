import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgPool } from '../../src/marketplace/db/connect.ts';
import { pgliteExecutor, type SqlExecutor } from '../../src/marketplace/db/executor.ts';
import { migrate } from '../../src/marketplace/db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from '../../src/marketplace/db/schema.ts';
import { MarketplaceStore } from '../../src/marketplace/store.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const PLUGINS = [
  { name: 'text-summary', description: 'Summarize long text in one sentence', tags: ['text', 'ai'], downloads: 50, day: 1 },
  { name: 'json-pretty', description: 'Pretty-print JSON documents', tags: ['json'], downloads: 200, day: 2 },
  { name: 'translate-fr', description: 'Translate text to French', tags: ['text', 'language'], downloads: 10, day: 3 },
  { name: 'summary-bullets', description: 'Bullet point summaries', tags: ['text'], downloads: 5, day: 4 },
  { name: 'percent-calc', description: 'Computes 100% of nothing_special', tags: ['math'], downloads: 1, day: 5 },
];

async function seed(db: SqlExecutor): Promise<void> {
  await migrate(db, MARKETPLACE_MIGRATIONS);
  await db.query(`INSERT INTO marketplace.authors (role_name, public_key, fingerprint) VALUES ('seed', repeat('A', 43), 'SHA256:seedseedseedseedseed')`);
  for (const plugin of PLUGINS) {
    await db.query(`INSERT INTO marketplace.plugins (name, owner, description, tags, downloads, latest_version, created_at, updated_at)
      VALUES ($1, 'seed', $2, $3, $4, '1.0.0', $5, $5)`, [plugin.name, plugin.description, plugin.tags, plugin.downloads, new Date(Date.UTC(2025, 0, plugin.day))]);
  }
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const backends: Array<[string, () => Promise<SqlExecutor>]> = [
  ['PostgreSQL', async () => openPgPool(database.adminUrl)],
  ['PGlite', async () => pgliteExecutor(await PGlite.create({ extensions: { pg_trgm } }))],
];

describe.each(backends)('search on %s', (_label, open) => {
  let db: SqlExecutor;
  let store: MarketplaceStore;
  beforeAll(async () => {
    db = await open();
    await seed(db);
    store = new MarketplaceStore(db);
  });
  afterAll(async () => {
    await db.close();
  });
  const names = async (query: Parameters<MarketplaceStore['search']>[0]) => (await store.search(query)).items.map((item) => item.name);

  it('matches every word against name, description and tags, case-insensitively', async () => {
    expect(await names({ text: 'SUMMAR' })).toEqual(['summary-bullets', 'text-summary']);
    expect(await names({ text: 'text french' })).toEqual(['translate-fr']);
    expect(await names({ text: 'language' })).toEqual(['translate-fr']);
    expect(await names({ text: 'nothing matches this' })).toEqual([]);
  });

  it('ranks an exact or prefix name match first, then by downloads', async () => {
    expect((await names({ text: 'text' }))[0]).toBe('text-summary');
    expect(await names({ text: 'summary' })).toEqual(['summary-bullets', 'text-summary']);
  });

  it('filters by tag and sorts by downloads or newest', async () => {
    expect(await names({ tag: 'text', sort: 'downloads' })).toEqual(['text-summary', 'translate-fr', 'summary-bullets']);
    expect(await names({ tag: 'text', sort: 'newest' })).toEqual(['summary-bullets', 'translate-fr', 'text-summary']);
    expect(await names({})).toEqual(['json-pretty', 'text-summary', 'translate-fr', 'summary-bullets', 'percent-calc']);
  });

  it('paginates with a stable total, also past the end', async () => {
    const first = await store.search({ sort: 'downloads', pageSize: 2, page: 1 });
    const third = await store.search({ sort: 'downloads', pageSize: 2, page: 3 });
    const beyond = await store.search({ sort: 'downloads', pageSize: 2, page: 9 });
    expect([first.total, third.total, beyond.total]).toEqual([5, 5, 5]);
    expect(first.items.map((item) => item.name)).toEqual(['json-pretty', 'text-summary']);
    expect(third.items.map((item) => item.name)).toEqual(['percent-calc']);
    expect(beyond.items).toEqual([]);
  });

  it('treats LIKE wildcards and SQL in the query as plain text', async () => {
    expect(await names({ text: '100%' })).toEqual(['percent-calc']);
    expect(await names({ text: '%' })).toEqual(['percent-calc']);
    expect(await names({ text: 'nothing_special' })).toEqual(['percent-calc']);
    expect(await names({ text: "'; DROP TABLE marketplace.plugins; --" })).toEqual([]);
    expect((await store.search({})).total).toBe(5);
  });

  it("finds a plugin by its author's display name or role, and names the author on each result", async () => {
    await db.query(`UPDATE marketplace.authors SET display_name = 'Ada Lovelace' WHERE role_name = 'seed'`);
    expect(await names({ text: 'lovelace', sort: 'downloads' })).toEqual(['json-pretty', 'text-summary', 'translate-fr', 'summary-bullets', 'percent-calc']);
    expect(await names({ text: 'ada pretty' })).toEqual(['json-pretty']);
    expect(await names({ text: 'seed json' })).toEqual(['json-pretty']);
    expect((await store.search({ text: 'json' })).items[0]).toMatchObject({ owner: 'seed', ownerName: 'Ada Lovelace' });
    expect(await store.details('json-pretty')).toMatchObject({ ownerName: 'Ada Lovelace' });
  });

  it('rejects an invalid tag or page size before querying', async () => {
    await expect(store.search({ tag: 'Bad Tag!' })).rejects.toThrow();
    await expect(store.search({ pageSize: 1000 })).rejects.toThrow();
  });

  it('has a trigram index the planner can use for substring search', async () => {
    const [row] = await db.query<{ present: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'plugins_search_trgm' AND indexdef LIKE '%gin_trgm_ops%') AS present`);
    expect(row?.present).toBe(true);
    // Five rows make a sequential scan cheapest, so forbid it to see that the index qualifies.
    const plan = await db.session(async (session) => {
      await session.exec('SET enable_seqscan = off');
      try {
        return await session.query<Record<string, string>>(`EXPLAIN SELECT name FROM marketplace.plugins WHERE search_document LIKE '%summar%'`);
      } finally {
        await session.exec('SET enable_seqscan = on');
      }
    });
    expect(plan.map((line) => Object.values(line)[0]).join('\n')).toMatch(/plugins_search_trgm/);
  });
});
