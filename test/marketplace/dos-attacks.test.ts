import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { openPgPool } from '../../src/marketplace/db/connect.ts';
import { migrate, type MigrationSet } from '../../src/marketplace/db/migrate.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { acceptSyntax, attempt, bumpVersion, createTestDatabase, makePlugin, tempHome, type TestDatabase } from './helpers.ts';

// Issue #9, section 3: denial of service by an author. Each test is one attack from an author's
// own connection; it asserts that others can still work and that what the author stored is bounded.
let database: TestDatabase;
const urls: Record<string, string> = {};
const markets: Record<string, Marketplace> = {};
const homes: Record<string, string> = {};
const baseDirs: Record<string, string> = {};
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
  for (const who of ['alice', 'bob', 'carol']) {
    urls[who] = await database.author(who);
    const home = await tempHome(who);
    homes[who] = home.path;
    markets[who] = await Marketplace.open({ home: home.path, databaseUrl: urls[who], checkSyntax: acceptSyntax, catalogCopy: false });
    cleanup.push(home.remove, () => markets[who]!.close());
    // Each is a registered author with one plugin (first publish proves the key).
    baseDirs[who] = await makePlugin(home.path, `${who}-base`);
    expect((await markets[who]!.publish(baseDirs[who])).status).toBe('published');
  }
}, 120_000);
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await database?.drop();
});

async function sql(who: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: urls[who] });
  client.on('error', () => undefined);
  await client.connect();
  cleanup.push(() => client.end().catch(() => undefined));
  return client;
}

/** Resolves to 'blocked' when `work` has not settled within `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T | 'blocked'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'blocked'>((resolve) => { timer = setTimeout(() => resolve('blocked'), ms); });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function count(text: string, params: unknown[] = []): Promise<number> {
  const [row] = await database.admin.query<{ n: number }>(text, params);
  return Number(row?.n ?? -1);
}

const ownVersion = `INSERT INTO marketplace.versions (plugin, version, code, manifest, sha256, signature, fingerprint, publish_id)
  VALUES ($1, $2, $3, $4, repeat('a', 64), repeat('s', 88),
    (SELECT fingerprint FROM marketplace.authors WHERE role_name = current_user), gen_random_uuid())`;

describe('locks an author can hold', () => {
  it('an open transaction that counted a download does not hold up the owner\'s publish', async () => {
    const bob = await sql('bob');
    await bob.query('BEGIN');
    await attempt(bob, 'SELECT marketplace.record_download($1)', ['alice-base']);
    await bumpVersion(baseDirs.alice!, '1.1.0');
    const outcome = await within(5_000, markets.alice!.publish(baseDirs.alice!));
    await bob.query('COMMIT').catch(() => undefined);
    expect(outcome).toMatchObject({ status: 'published' });
  });

  it('holding the migration lock does not stop the owner from migrating', async () => {
    const set: MigrationSet = { name: 'dos_toy', migrations: [{ version: 1, name: 'toy', sql: 'CREATE TABLE dos_toy (id int)' }] };
    // The key the runner used to take (sha256 of "wasmforge-migrate:<set>"): public, so anyone could.
    const key = createHash('sha256').update(`wasmforge-migrate:${set.name}`).digest().readBigInt64BE(0).toString();
    const bob = await sql('bob');
    await attempt(bob, 'SELECT pg_advisory_lock($1)', [key]);
    await attempt(bob, 'LOCK TABLE public.wasmforge_migrations IN SHARE ROW EXCLUSIVE MODE');
    const owner = openPgPool(database.adminUrl, { max: 1 });
    try {
      expect(await within(5_000, migrate(owner, set))).toEqual([1]);
    } finally {
      await bob.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
      await owner.close();
    }
  });

  it('an author session carries statement and idle-in-transaction timeouts', async () => {
    const bob = await sql('bob');
    const show = async (name: string) => (await bob.query<Record<string, string>>(`SHOW ${name}`)).rows[0]?.[name];
    expect(await show('statement_timeout')).not.toBe('0');
    expect(await show('idle_in_transaction_session_timeout')).not.toBe('0');
  });
});

describe('what an author can take or store', () => {
  it('cannot hold more than a few connections, and others can still connect', async () => {
    const held: pg.Client[] = [];
    for (let i = 0; i < 20; i++) {
      const client = new pg.Client({ connectionString: urls.bob });
      client.on('error', () => undefined);
      const ok = await client.connect().then(() => true, () => false);
      if (ok) held.push(client);
    }
    try {
      expect(held.length).toBeLessThanOrEqual(10);
      const carol = await sql('carol');
      expect((await carol.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await Promise.all(held.map((client) => client.end().catch(() => undefined)));
    }
  });

  it('cannot reserve thousands of names', async () => {
    const bob = await sql('bob');
    await attempt(bob, `INSERT INTO marketplace.plugins (name) SELECT 'squat-' || g FROM generate_series(1, 10000) AS g`);
    for (let i = 0; i < 30; i++) await attempt(bob, 'INSERT INTO marketplace.plugins (name) VALUES ($1)', [`one-by-one-${i}`]);
    expect(await count(`SELECT count(*) AS n FROM marketplace.plugins WHERE owner = $1`, [new URL(urls.bob!).username])).toBeLessThanOrEqual(20);
    // Past the quota on names, Bob still publishes new versions of the plugins he has.
    await bumpVersion(baseDirs.bob!, '1.0.1');
    expect(await markets.bob!.publish(baseDirs.bob!)).toMatchObject({ status: 'published' });
  });

  it('cannot publish a flood of versions or of bytes', async () => {
    const bob = await sql('bob');
    for (let i = 1; i <= 60; i++) await attempt(bob, ownVersion, ['bob-base', `2.0.${i}`, 'print(1)', '{}']);
    const carol = await sql('carol');
    const mebibyte = 'x'.repeat(1024 * 1024 - 16);
    for (let i = 1; i <= 20; i++) await attempt(carol, ownVersion, ['carol-base', `2.0.${i}`, mebibyte, '{}']);
    expect(await count(`SELECT count(*) AS n FROM marketplace.versions WHERE plugin = 'bob-base'`)).toBeLessThanOrEqual(51);
    expect(await count(`SELECT sum(octet_length(code)) AS n FROM marketplace.versions WHERE plugin = 'carol-base'`)).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it('cannot store an oversized manifest or column', async () => {
    const alice = await sql('alice');
    const manifest = JSON.stringify({ padding: 'm'.repeat(8 * 1024 * 1024) });
    await attempt(alice, ownVersion, ['alice-base', '3.0.0', 'print(1)', manifest]);
    await attempt(alice, `UPDATE marketplace.plugins SET latest_version = repeat('9', 1000000) WHERE name = 'alice-base'`);
    expect(await count(`SELECT coalesce(max(octet_length(manifest::text)), 0) AS n FROM marketplace.versions`)).toBeLessThanOrEqual(65536);
    expect(await count(`SELECT coalesce(max(length(latest_version)), 0) AS n FROM marketplace.plugins`)).toBeLessThanOrEqual(64);
  });

  it('cannot create large objects or temporary tables', async () => {
    const bob = await sql('bob');
    await attempt(bob, `SELECT lo_from_bytea(0, convert_to(repeat('x', 1000000), 'UTF8'))`);
    await attempt(bob, 'SELECT lo_creat(-1)');
    await attempt(bob, 'SELECT lo_create(0)');
    expect(await count('SELECT count(*) AS n FROM pg_largeobject_metadata')).toBe(0);
    expect(await attempt(bob, `CREATE TEMP TABLE hoard AS SELECT repeat('x', 1000) AS x FROM generate_series(1, 1000)`)).not.toBe('ok');
  });
});
