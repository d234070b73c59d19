import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgPool } from '../../src/marketplace/db/connect.ts';
import { pgliteExecutor, type SqlExecutor } from '../../src/marketplace/db/executor.ts';
import { migrate, migrationStatus, type MigrationSet } from '../../src/marketplace/db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from '../../src/marketplace/db/schema.ts';
import { createTestDatabase, type TestDatabase } from './helpers.ts';

const toySet: MigrationSet = {
  name: 'toy',
  migrations: [
    { version: 1, name: 'table', sql: 'CREATE TABLE toy (id int PRIMARY KEY, label text)' },
    { version: 2, name: 'row', sql: "INSERT INTO toy VALUES (1, 'one')" },
  ],
};

interface Backend {
  open(): Promise<SqlExecutor>;
  concurrent: boolean;
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const backends: Array<[string, Backend]> = [
  ['PostgreSQL', { open: async () => openPgPool(database.adminUrl), concurrent: true }],
  ['PGlite', { open: async () => pgliteExecutor(await PGlite.create({ extensions: { pg_trgm } })), concurrent: false }],
];

describe.each(backends)('migrations on %s', (_label, backend) => {
  it('creates the whole marketplace schema on an empty database, once', async () => {
    const db = await backend.open();
    try {
      const before = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'marketplace'`))[0]?.n;
      await migrate(db, MARKETPLACE_MIGRATIONS);
      const applied = await migrate(db, MARKETPLACE_MIGRATIONS);
      const tables = await db.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'marketplace' ORDER BY 1`);
      expect(before === 0 || before === 6).toBe(true);
      expect(applied).toEqual([]);
      expect(tables.map((t) => t.tablename)).toEqual(['author_nonces', 'authors', 'downloads', 'plugins', 'quotas', 'versions']);
      expect(await migrationStatus(db, MARKETPLACE_MIGRATIONS)).toMatchObject({ applied: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], pending: [] });
    } finally {
      await db.close();
    }
  });

  it('applies each migration in its own transaction and stops at a failing one', async () => {
    const db = await backend.open();
    const set: MigrationSet = {
      name: `broken_${_label}`,
      migrations: [
        { version: 1, name: 'ok', sql: `CREATE TABLE good_${_label.toLowerCase()} (id int)` },
        { version: 2, name: 'fails halfway', sql: `CREATE TABLE half_${_label.toLowerCase()} (id int); SELECT 1/0;` },
      ],
    };
    try {
      await expect(migrate(db, set)).rejects.toThrow(/division by zero/);
      const half = await db.query<{ present: boolean }>(`SELECT to_regclass('half_${_label.toLowerCase()}') IS NOT NULL AS present`);
      expect(half[0]?.present).toBe(false);
      expect(await migrationStatus(db, set)).toMatchObject({ applied: [1], pending: [2] });
    } finally {
      await db.close();
    }
  });

  it('refuses a shipped migration that was edited afterwards', async () => {
    const db = await backend.open();
    const set = { ...toySet, name: `toy_${_label}` };
    try {
      await migrate(db, { ...set, migrations: [{ ...toySet.migrations[0]!, sql: `CREATE TABLE toy_${_label} (id int)` }] });
      await expect(migrate(db, { ...set, migrations: [{ ...toySet.migrations[0]!, sql: `CREATE TABLE toy_${_label} (id bigint)` }] }))
        .rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    } finally {
      await db.close();
    }
  });
});

describe('upgrading a marketplace that already holds plugins', () => {
  it('backfills the newest version by semver (not text) order, then enforces it', async () => {
    const db = pgliteExecutor(await PGlite.create({ extensions: { pg_trgm } }));
    try {
      await migrate(db, { ...MARKETPLACE_MIGRATIONS, migrations: MARKETPLACE_MIGRATIONS.migrations.slice(0, 3) });
      await db.query(`INSERT INTO marketplace.authors (public_key, fingerprint) VALUES (repeat('A', 43), 'SHA256:oldoldoldoldoldold')`);
      await db.query(`INSERT INTO marketplace.plugins (name) VALUES ('old-tool')`);
      for (const version of ['1.0.0', '1.10.0', '1.9.0']) {
        await db.query(`INSERT INTO marketplace.versions (plugin, version, code, manifest, sha256, signature, fingerprint, publish_id)
          VALUES ('old-tool', $1, '', '{}', repeat('a', 64), repeat('s', 88), 'SHA256:oldoldoldoldoldold', gen_random_uuid())`, [version]);
      }
      expect(await migrate(db, MARKETPLACE_MIGRATIONS)).toEqual([4, 5, 6, 7, 8, 9, 10, 11]);
      const [row] = await db.query<{ newest_version: string }>(`SELECT newest_version FROM marketplace.plugins WHERE name = 'old-tool'`);
      expect(row?.newest_version).toBe('1.10.0');
      await expect(db.query(`INSERT INTO marketplace.versions (plugin, version, code, manifest, sha256, signature, fingerprint, publish_id)
        VALUES ('old-tool', '1.9.5', '', '{}', repeat('a', 64), repeat('s', 88), 'SHA256:oldoldoldoldoldold', gen_random_uuid())`))
        .rejects.toMatchObject({ code: 'WF001', detail: '1.10.0' });
    } finally {
      await db.close();
    }
  });
});

describe('migrations on PostgreSQL under concurrency', () => {
  it('two processes migrating at once apply each migration exactly once (a lock on the migrations table)', async () => {
    const first = openPgPool(database.adminUrl);
    const second = openPgPool(database.adminUrl);
    const set: MigrationSet = { ...toySet, name: 'toy_concurrent' };
    try {
      const results = await Promise.all([migrate(first, set), migrate(second, set)]);
      expect(results.flat().sort()).toEqual([1, 2]);
      const rows = await first.query<{ n: number }>('SELECT count(*)::int AS n FROM toy');
      expect(rows[0]?.n).toBe(1);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
