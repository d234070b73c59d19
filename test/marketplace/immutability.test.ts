import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorGroup, migrateMarketplace } from '../../src/marketplace/admin.ts';
import { pgliteExecutor, type SqlExecutor, type SqlQueryable } from '../../src/marketplace/db/executor.ts';
import { migrate } from '../../src/marketplace/db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from '../../src/marketplace/db/schema.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { MarketplaceStore } from '../../src/marketplace/store.ts';
import { acceptSyntax, bumpVersion, createTestDatabase, makePlugin, tempHome, type TestDatabase } from './helpers.ts';

// Published versions are immutable and names are never freed, whatever SQL an author sends on
// their own connection: the database refuses a version that is not greater, an un-yank, a delete,
// and counts one download per plugin and role. Raw SQL here stands for a hostile or buggy client.

const insertVersion = `INSERT INTO marketplace.versions (plugin, version, code, manifest, sha256, signature, fingerprint, publish_id)
  VALUES ($1, $2, 'import os', '{}', repeat('a', 64), repeat('s', 88),
    (SELECT fingerprint FROM marketplace.authors WHERE role_name = current_user), gen_random_uuid())`;

async function sqlError(db: { query: (sql: string, params?: unknown[]) => Promise<unknown> }, sql: string, params: unknown[] = []): Promise<{ code?: string; message: string } | null> {
  try {
    await db.query(sql, params);
    return null;
  } catch (error) {
    return error as { code?: string; message: string };
  }
}

async function versionsOf(db: SqlQueryable, name: string): Promise<Array<[string, boolean]>> {
  const rows = await db.query<{ version: string; yanked: boolean }>('SELECT version, yanked FROM marketplace.versions WHERE plugin = $1', [name]);
  return rows.map((row): [string, boolean] => [row.version, row.yanked]).sort((a, b) => semver.compare(a[0], b[0]));
}

async function downloads(db: SqlQueryable, name: string): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT downloads::int AS n FROM marketplace.listing WHERE name = $1', [name]);
  return row?.n ?? -1;
}

describe('on a shared PostgreSQL, as each author\'s own role', () => {
  let database: TestDatabase;
  let alice: Marketplace;
  let aliceSql: pg.Client;
  let bobSql: pg.Client;
  let aliceUrl: string;
  let bobUrl: string;
  let aliceHome: string;
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateMarketplace(database.adminUrl);
    aliceUrl = await database.author('alice');
    bobUrl = await database.author('bob');
    const home = await tempHome('alice');
    aliceHome = home.path;
    alice = await Marketplace.open({ home: aliceHome, databaseUrl: aliceUrl, checkSyntax: acceptSyntax });
    const dir = await makePlugin(aliceHome, 'alpha', '1.0.0', 'print("alice 1")\n');
    await alice.publish(dir);
    await bumpVersion(dir, '2.0.0', 'print("alice 2")\n');
    await alice.publish(dir);
    aliceSql = new pg.Client({ connectionString: aliceUrl });
    bobSql = new pg.Client({ connectionString: bobUrl });
    await Promise.all([aliceSql.connect(), bobSql.connect()]);
    cleanup.push(() => aliceSql.end(), () => bobSql.end(), () => alice.close(), home.remove);
  });
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    await database?.drop();
  });

  it('refuses a version that is not greater than the latest, even from the owner with raw SQL', async () => {
    expect(await sqlError(aliceSql, insertVersion, ['alpha', '1.5.0'])).toMatchObject({ code: 'WF001', message: expect.stringContaining('2.0.0') });
    expect(await sqlError(aliceSql, insertVersion, ['alpha', '2.0.0-rc.1'])).toMatchObject({ code: 'WF001' });
    expect(await sqlError(aliceSql, insertVersion, ['alpha', 'v9.0.0'])).toMatchObject({ code: 'WF003' });
    expect(await sqlError(aliceSql, insertVersion, ['alpha', '2.0.1'])).toBeNull();
    expect((await versionsOf(database.admin, 'alpha')).map(([version]) => version)).toEqual(['1.0.0', '2.0.0', '2.0.1']);
  });

  it('keeps concurrent raw inserts in order: the one that commits first wins, the lower one is refused', async () => {
    const second = new pg.Client({ connectionString: aliceUrl });
    await second.connect();
    try {
      await aliceSql.query('BEGIN');
      await aliceSql.query(insertVersion, ['alpha', '5.0.0']);
      await second.query('BEGIN');
      const lower = sqlError(second, insertVersion, ['alpha', '4.0.0']); // waits for the plugin row
      await aliceSql.query('COMMIT');
      expect(await lower).toMatchObject({ code: 'WF001', message: expect.stringContaining('5.0.0') });
      await second.query('ROLLBACK');
    } finally {
      await second.end();
    }
  });

  it('never un-yanks: not by the owner, not through any column', async () => {
    await aliceSql.query(`UPDATE marketplace.versions SET yanked = true, yank_reason = 'bad' WHERE plugin = 'alpha' AND version = '1.0.0'`);
    expect(await sqlError(aliceSql, `UPDATE marketplace.versions SET yanked = false WHERE plugin = 'alpha' AND version = '1.0.0'`))
      .toMatchObject({ code: 'WF002' });
    await expect(alice.store.yank('alpha', '2.0.1', 'again')).resolves.toBeUndefined();
    expect(await versionsOf(database.admin, 'alpha')).toContainEqual(['1.0.0', true]);
  });

  it('counts one download per plugin and role, however often and under whichever role it is asked', async () => {
    const before = await downloads(database.admin, 'alpha');
    for (let i = 0; i < 5; i++) await bobSql.query('SELECT marketplace.record_download($1)', ['alpha']);
    await bobSql.query(`SET ROLE ${await authorGroup(database.admin)}`);
    await bobSql.query('SELECT marketplace.record_download($1)', ['alpha']);
    await bobSql.query('RESET ROLE');
    expect(await downloads(database.admin, 'alpha')).toBe(before + 1);
    await aliceSql.query('SELECT marketplace.record_download($1)', ['alpha']);
    expect(await downloads(database.admin, 'alpha')).toBe(before + 2);
    expect(await sqlError(bobSql, `INSERT INTO marketplace.downloads (plugin, downloader) VALUES ('alpha', 'someone-else')`)).toMatchObject({ code: '42501' });
    expect(await sqlError(bobSql, 'SELECT * FROM marketplace.downloads')).toMatchObject({ code: '42501' });
  });

  it('cannot hard-delete a plugin or a version, even as its owner', async () => {
    expect(await sqlError(aliceSql, `DELETE FROM marketplace.plugins WHERE name = 'alpha'`)).toMatchObject({ code: '42501' });
    expect(await sqlError(aliceSql, `DELETE FROM marketplace.versions WHERE plugin = 'alpha'`)).toMatchObject({ code: '42501' });
  });

  it('unpublishes softly: hidden from search, every version yanked, the name still Alice\'s', async () => {
    await alice.unpublish('alpha');
    await alice.unpublish('alpha'); // a second time changes nothing
    expect((await alice.search({ text: 'alpha' })).items).toEqual([]);
    expect((await versionsOf(database.admin, 'alpha')).every(([, yanked]) => yanked)).toBe(true);
    expect(await alice.details('alpha')).toMatchObject({ latestVersion: null, owner: expect.stringContaining('alice') });
    expect(await sqlError(aliceSql, `UPDATE marketplace.versions SET yanked = false WHERE plugin = 'alpha'`)).toMatchObject({ code: 'WF002' });

    // Bob cannot take the name over: not through the app, not with raw SQL.
    const bobHome = await tempHome('bob');
    cleanup.push(bobHome.remove);
    const bob = await Marketplace.open({ home: bobHome.path, databaseUrl: bobUrl, checkSyntax: acceptSyntax });
    cleanup.push(() => bob.close());
    await expect(bob.publish(await makePlugin(bobHome.path, 'alpha', '1.0.0', 'print("bob")\n'))).rejects.toMatchObject({ code: 'NOT_OWNER' });
    expect(await sqlError(bobSql, `INSERT INTO marketplace.plugins (name) VALUES ('alpha')`)).toMatchObject({ code: '23505' });
    expect(await bobSql.query(`UPDATE marketplace.plugins SET unpublished_at = NULL WHERE name = 'alpha'`)).toMatchObject({ rowCount: 0 });
    await bobSql.query('SELECT marketplace.record_download($1)', ['alpha']);
    expect(await downloads(database.admin, 'alpha')).toBe(2); // unchanged: an unpublished plugin is not downloaded
    expect((await alice.store.fetch('alpha', '1.0.0')).code).toBe('print("alice 1")\n');
  });

  it('lets only Alice list the name again, with a version greater than every earlier one', async () => {
    const dir = await makePlugin(aliceHome, 'alpha', '2.0.1', 'print("alice again")\n');
    await expect(alice.publish(dir)).rejects.toMatchObject({ code: 'VERSION_NOT_GREATER' });
    await bumpVersion(dir, '6.0.0');
    expect(await alice.publish(dir)).toMatchObject({ status: 'published' });
    expect((await alice.search({ text: 'alpha' })).items.map((item) => [item.name, item.latestVersion])).toEqual([['alpha', '6.0.0']]);
    expect((await versionsOf(database.admin, 'alpha')).filter(([, yanked]) => !yanked)).toEqual([['6.0.0', false]]);
  });
});

interface Backend {
  db: SqlExecutor;
  drop(): Promise<void>;
}

const backends: Array<[string, () => Promise<Backend>]> = [
  ['PostgreSQL', async () => {
    const database = await createTestDatabase();
    return { db: database.admin, drop: () => database.drop() };
  }],
  ['PGlite', async () => {
    const db = pgliteExecutor(await PGlite.create({ extensions: { pg_trgm } }));
    return { db, drop: () => db.close() };
  }],
];

describe.each(backends)('the same rules on %s as the database owner (the local marketplace runs as one)', (_label, open) => {
  let backend: Backend;
  let db: SqlExecutor;
  beforeAll(async () => {
    backend = await open();
    db = backend.db;
    await migrate(db, MARKETPLACE_MIGRATIONS);
    await db.query(`INSERT INTO marketplace.authors (public_key, fingerprint) VALUES (repeat('A', 43), 'SHA256:ownerownerownerowner')`);
    await db.query(`INSERT INTO marketplace.plugins (name) VALUES ('local-tool')`);
    for (const version of ['1.0.0', '1.1.0']) await db.query(insertVersion, ['local-tool', version]);
  });
  afterAll(async () => {
    await backend?.drop();
  });

  it('orders versions exactly as npm semver does, and knows what is not a version', async () => {
    const valid = ['0.0.1', '0.1.0', '1.0.0-0', '1.0.0-0.0', '1.0.0-1', '1.0.0-2', '1.0.0-10', '1.0.0-a', '1.0.0-a.1', '1.0.0-alpha',
      '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-Beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc-1', '1.0.0-rc.1',
      '1.0.0', '1.0.1', '1.2.0', '1.10.0', '2.0.0', '10.0.0-x-y-z.-', '10.0.0', '9007199254740991.0.0'];
    const rows = await db.query<{ a: string; b: string; cmp: number }>(
      'SELECT a, b, marketplace.semver_compare(a, b) AS cmp FROM unnest($1::text[]) AS a, unnest($1::text[]) AS b', [valid]);
    expect(rows).toHaveLength(valid.length ** 2);
    for (const row of rows) expect([row.a, row.b, row.cmp]).toEqual([row.a, row.b, semver.compare(row.a, row.b)]);

    const invalid = ['1.0', '01.0.0', '1.0.0-01', '1.0.0+build', 'v1.0.0', '1.0.0-', '1.0.0-a..b', ' 1.0.0', ''];
    const verdicts = await db.query<{ v: string; cmp: number | null }>('SELECT v, marketplace.semver_compare(v, v) AS cmp FROM unnest($1::text[]) AS v', [invalid]);
    expect(verdicts.map((row) => row.cmp)).toEqual(invalid.map(() => null));
    expect(invalid.filter((v) => semver.valid(v) === v)).toEqual([]);
  });

  it('refuses a lower version and an un-yank', async () => {
    expect(await sqlError(db, insertVersion, ['local-tool', '1.0.5'])).toMatchObject({ code: 'WF001' });
    await db.query(`UPDATE marketplace.versions SET yanked = true WHERE plugin = 'local-tool' AND version = '1.0.0'`);
    expect(await sqlError(db, `UPDATE marketplace.versions SET yanked = false WHERE plugin = 'local-tool'`)).toMatchObject({ code: 'WF002' });
  });

  it('unpublishes softly and counts a download once', async () => {
    await db.query(`SELECT marketplace.record_download('local-tool')`);
    await db.query(`SELECT marketplace.record_download('local-tool')`);
    expect(await downloads(db, 'local-tool')).toBe(1);
    const store = new MarketplaceStore(db);
    await store.unpublish('local-tool');
    expect((await store.search({})).items).toEqual([]);
    expect(await versionsOf(db, 'local-tool')).toEqual([['1.0.0', true], ['1.1.0', true]]);
    await expect(store.fetch('local-tool')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
