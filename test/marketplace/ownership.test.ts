import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Marketplace } from '../../src/marketplace/service.ts';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { acceptSyntax, createTestDatabase, makePlugin, tempHome, type TestDatabase } from './helpers.ts';

// Ownership is enforced by PostgreSQL: Bob connects with his own role and attacks Alice's plugin
// with raw SQL. Every attempt must fail or touch no row, and Alice's plugin must be intact after.
let database: TestDatabase;
let aliceUrl: string;
let bob: pg.Client;
let bobRole: string;
let alice: Marketplace;
const homes: Array<{ remove: () => Promise<void> }> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
  aliceUrl = await database.author('alice');
  const bobUrl = await database.author('bob');
  bobRole = new URL(bobUrl).username;
  const aliceHome = await tempHome('alice');
  homes.push(aliceHome);
  alice = await Marketplace.open({ home: aliceHome.path, databaseUrl: aliceUrl, checkSyntax: acceptSyntax });
  const dir = await makePlugin(aliceHome.path, 'alpha', '1.0.0', 'print("alice")\n', { description: 'Alice original', tags: ['text'] });
  expect((await alice.publish(dir)).status).toBe('published');
  bob = new pg.Client({ connectionString: bobUrl });
  await bob.connect();
  // Bob is a real author too, with his own registered key and plugin.
  const bobHome = await tempHome('bob');
  homes.push(bobHome);
  const bobMarket = await Marketplace.open({ home: bobHome.path, databaseUrl: bobUrl, checkSyntax: acceptSyntax });
  await bobMarket.publish(await makePlugin(bobHome.path, 'bravo'));
  await bobMarket.close();
});

afterAll(async () => {
  await bob?.end();
  await alice?.close();
  await database?.drop();
  for (const home of homes) await home.remove();
});

async function sqlError(sql: string, params: unknown[] = []): Promise<{ code?: string; message: string } | null> {
  try {
    await bob.query(sql, params);
    return null;
  } catch (error) {
    return error as { code?: string; message: string };
  }
}

async function rowCount(sql: string, params: unknown[] = []): Promise<number | null> {
  return (await bob.query(sql, params)).rowCount;
}

describe('ownership enforced by the database (raw SQL as a second author)', () => {
  it('cannot re-own another author\'s plugin', async () => {
    expect(await sqlError('UPDATE marketplace.plugins SET owner = $1 WHERE name = $2', [bobRole, 'alpha'])).toMatchObject({ code: '42501' });
  });

  it('cannot overwrite another author\'s plugin metadata (no row is visible for update)', async () => {
    expect(await rowCount(`UPDATE marketplace.plugins SET description = 'pwned', tags = '{evil}' WHERE name = 'alpha'`)).toBe(0);
  });

  it('cannot delete another author\'s plugin (nobody hard-deletes; unpublishing keeps the name)', async () => {
    expect(await sqlError(`DELETE FROM marketplace.plugins WHERE name = 'alpha'`)).toMatchObject({ code: '42501' });
    expect(await sqlError('DELETE FROM marketplace.plugins')).toMatchObject({ code: '42501' });
    expect(await rowCount(`UPDATE marketplace.plugins SET unpublished_at = now() WHERE name = 'alpha'`)).toBe(0);
  });

  it('cannot publish a version of another author\'s plugin, even with a valid-looking row', async () => {
    const [bobAuthor] = (await bob.query('SELECT fingerprint FROM marketplace.authors WHERE role_name = current_user')).rows;
    const error = await sqlError(`INSERT INTO marketplace.versions (plugin, version, code, manifest, sha256, signature, fingerprint, publish_id)
      VALUES ('alpha', '9.0.0', 'import os', '{}', repeat('a', 64), repeat('s', 88), $1, gen_random_uuid())`, [bobAuthor?.fingerprint]);
    expect(error).toMatchObject({ code: '42501' });
    expect(error?.message).toMatch(/row-level security/);
  });

  it('cannot rewrite, delete or truncate published code', async () => {
    expect(await sqlError(`UPDATE marketplace.versions SET code = 'import os' WHERE plugin = 'alpha'`)).toMatchObject({ code: '42501' });
    expect(await sqlError(`DELETE FROM marketplace.versions WHERE plugin = 'alpha'`)).toMatchObject({ code: '42501' });
    expect(await sqlError('TRUNCATE marketplace.versions')).toMatchObject({ code: '42501' });
  });

  it('cannot yank another author\'s version', async () => {
    expect(await rowCount(`UPDATE marketplace.versions SET yanked = true, yank_reason = 'x' WHERE plugin = 'alpha'`)).toBe(0);
  });

  it('cannot create a plugin in someone else\'s name or register a key for them', async () => {
    const owner = new URL(aliceUrl).username;
    expect(await sqlError(`INSERT INTO marketplace.plugins (name, owner) VALUES ('charlie', $1)`, [owner])).toMatchObject({ code: '42501' });
    expect(await sqlError(`INSERT INTO marketplace.authors (role_name, public_key, fingerprint) VALUES ($1, repeat('A', 43), 'SHA256:forgedforgedforged')`, [owner]))
      .toMatchObject({ code: '42501' });
  });

  it('cannot change the schema, the policies, or become the other author', async () => {
    expect(await sqlError('ALTER TABLE marketplace.plugins DISABLE ROW LEVEL SECURITY')).toMatchObject({ code: '42501' });
    expect(await sqlError('DROP POLICY plugins_update ON marketplace.plugins')).toMatchObject({ code: '42501' });
    expect(await sqlError(`SET ROLE ${pg.escapeIdentifier(new URL(aliceUrl).username)}`)).toMatchObject({ code: '42501' });
  });

  it('can only count a download, through the narrow definer function', async () => {
    await bob.query('SELECT marketplace.record_download($1)', ['alpha']);
    const [row] = (await bob.query(`SELECT downloads::int AS downloads FROM marketplace.listing WHERE name = 'alpha'`)).rows;
    expect(row?.downloads).toBe(1);
    expect(await sqlError(`UPDATE marketplace.plugins SET downloads = 1000000 WHERE name = 'alpha'`)).toMatchObject({ code: '42501' });
  });

  it('is refused through the API too, with NOT_OWNER', async () => {
    const bobHome = await tempHome('bob-api');
    homes.push(bobHome);
    const bobUrl = `postgres://${bobRole}:test-password@127.0.0.1:5432/${database.name}`;
    const market = await Marketplace.open({ home: bobHome.path, databaseUrl: bobUrl, checkSyntax: acceptSyntax });
    try {
      await expect(market.publish(await makePlugin(bobHome.path, 'alpha', '2.0.0'))).rejects.toMatchObject({ code: 'NOT_OWNER' });
      await expect(market.yank('alpha@1.0.0', 'mine now')).rejects.toMatchObject({ code: 'NOT_OWNER' });
      await expect(market.unpublish('alpha')).rejects.toMatchObject({ code: 'NOT_OWNER' });
    } finally {
      await market.close();
    }
  });

  it('leaves Alice\'s plugin exactly as she published it', async () => {
    const details = await alice.details('alpha');
    expect(details).toMatchObject({ owner: new URL(aliceUrl).username, description: 'Alice original', tags: ['text'], latestVersion: '1.0.0' });
    expect(details.versions.map((v) => [v.version, v.yanked])).toEqual([['1.0.0', false]]);
    const fetched = await alice.store.fetch('alpha');
    expect(fetched.code).toBe('print("alice")\n');
  });
});
