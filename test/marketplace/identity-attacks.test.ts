import { sign } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorGroup, migrateMarketplace } from '../../src/marketplace/admin.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { fingerprintOf, loadOrCreateAuthorKey, type AuthorKey } from '../../src/marketplace/signing.ts';
import { acceptSyntax, attempt, createTestDatabase, makePlugin, tempHome, type TestDatabase } from './helpers.ts';

// Issue #9, section 2: who an author is. Each test is one attack, made with raw SQL on the
// attacker's own connection (or through the app), and asserts what must still hold afterwards.
let database: TestDatabase;
const urls: Record<string, string> = {};
const roles: Record<string, string> = {};
const homes: Record<string, string> = {};
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
  for (const who of ['alice', 'bob', 'carol', 'mallory']) {
    urls[who] = await database.author(who);
    roles[who] = new URL(urls[who]).username;
    const home = await tempHome(who);
    homes[who] = home.path;
    cleanup.push(home.remove);
  }
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await database?.drop();
});

async function sql(who: string, options: { role?: string } = {}): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: urls[who], ...(options.role ? { options: `-c role=${options.role}` } : {}) });
  await client.connect();
  cleanup.push(() => client.end());
  return client;
}

async function market(who: string, databaseUrl = urls[who]!): Promise<Marketplace> {
  const opened = await Marketplace.open({ home: homes[who], databaseUrl, checkSyntax: acceptSyntax, catalogCopy: false });
  cleanup.push(() => opened.close());
  return opened;
}

/** A proof of possession as signing.ts makes it, spelled out so this file also runs against older code. */
function proof(key: AuthorKey, role: string, nonce: string): string {
  return sign(null, Buffer.from(`wasmforge-author-proof-v1\n${role}\n${nonce}`), key.privateKey).toString('base64');
}

async function nonceFor(client: pg.Client): Promise<string> {
  const result = await client.query<{ nonce: string }>('SELECT marketplace.author_nonce() AS nonce').catch(() => null);
  return result?.rows[0]?.nonce ?? '';
}

const insertVersion = `INSERT INTO marketplace.versions (plugin, version, code, manifest, sha256, signature, fingerprint, publish_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7, gen_random_uuid())`;

describe('acting as the group role wasmforge_author', () => {
  it('cannot own rows as the group, so another author acting as the group cannot change them', async () => {
    const bobKey = await loadOrCreateAuthorKey(homes.bob!);
    const asGroup = await sql('bob', { role: 'wasmforge_author' });
    await attempt(asGroup, 'INSERT INTO marketplace.authors (public_key, fingerprint) VALUES ($1, $2)', [bobKey.publicKey, bobKey.fingerprint]);
    await attempt(asGroup, `INSERT INTO marketplace.plugins (name, description) VALUES ('group-owned', 'by bob')`);
    const carol = await sql('carol');
    await attempt(carol, 'SET ROLE wasmforge_author');
    await attempt(carol, `UPDATE marketplace.plugins SET description = 'taken by carol' WHERE name = 'group-owned'`);

    const groupOwned = await database.admin.query(`SELECT name FROM marketplace.plugins p JOIN pg_roles r ON r.rolname = p.owner WHERE NOT r.rolcanlogin`);
    expect(groupOwned).toEqual([]);
    const groupAuthors = await database.admin.query(`SELECT role_name FROM marketplace.authors WHERE role_name = 'wasmforge_author'`);
    expect(groupAuthors).toEqual([]);
    const changed = await database.admin.query(`SELECT 1 FROM marketplace.plugins WHERE description = 'taken by carol'`);
    expect(changed).toEqual([]);
  });

  it('refuses a publish made through the app while connected as the group (options=-c role=…)', async () => {
    const url = new URL(urls.bob!);
    url.searchParams.set('options', '-c role=wasmforge_author');
    const bob = await market('bob', url.toString());
    await expect(bob.publish(await makePlugin(homes.bob!, 'group-tool'))).rejects.toMatchObject({ code: 'NOT_OWNER' });
    const carol = await sql('carol');
    await attempt(carol, 'SET ROLE wasmforge_author');
    await attempt(carol, `UPDATE marketplace.versions SET yanked = true, yank_reason = 'carol' WHERE plugin = 'group-tool'`);
    const rows = await database.admin.query<{ owner: string }>(`SELECT owner FROM marketplace.plugins WHERE name = 'group-tool'`);
    expect(rows.every((row) => row.owner === roles.bob)).toBe(true);
    expect(await database.admin.query(`SELECT 1 FROM marketplace.versions WHERE yank_reason = 'carol'`)).toEqual([]);
  });

  it("gains nothing as this marketplace's own author group either (the group that may use its schema)", async () => {
    const group = await authorGroup(database.admin);
    const asGroup = await sql('bob', { role: group });
    await attempt(asGroup, `INSERT INTO marketplace.plugins (name, description) VALUES ('own-group-owned', 'by the group')`);
    const carol = await sql('carol');
    expect(await attempt(carol, `SET ROLE ${group}`)).toBe('ok');
    await attempt(carol, `UPDATE marketplace.plugins SET description = 'taken by carol' WHERE owner = '${roles.bob}'`);
    expect(await database.admin.query(`SELECT name FROM marketplace.plugins p JOIN pg_roles r ON r.rolname = p.owner WHERE NOT r.rolcanlogin`)).toEqual([]);
    expect(await database.admin.query(`SELECT 1 FROM marketplace.plugins WHERE description = 'taken by carol'`)).toEqual([]);
  });
});

describe('key squatting', () => {
  let aliceKey: AuthorKey;
  beforeAll(async () => {
    aliceKey = await loadOrCreateAuthorKey(homes.alice!);
  });

  it('cannot register another author\'s public key and lock them out of publishing', async () => {
    const mallory = await sql('mallory');
    // Straight into the table, with the right fingerprint and with a made-up one.
    await attempt(mallory, 'INSERT INTO marketplace.authors (public_key, fingerprint) VALUES ($1, $2)', [aliceKey.publicKey, aliceKey.fingerprint]);
    // Through the registration function: no proof, a proof Alice signed for her own name, a garbage one.
    const nonce = await nonceFor(mallory);
    await attempt(mallory, 'SELECT marketplace.register_author($1, $2)', [aliceKey.publicKey, proof(aliceKey, roles.alice!, nonce)]);
    await nonceFor(mallory);
    await attempt(mallory, 'SELECT marketplace.register_author($1, $2)', [aliceKey.publicKey, Buffer.alloc(64, 7).toString('base64')]);

    const holders = await database.admin.query<{ role_name: string }>('SELECT role_name FROM marketplace.authors WHERE public_key = $1', [aliceKey.publicKey]);
    expect(holders.map((row) => row.role_name)).not.toContain(roles.mallory);
    const alice = await market('alice');
    expect(await alice.publish(await makePlugin(homes.alice!, 'alice-tool'))).toMatchObject({ status: 'published' });
    expect(await database.admin.query('SELECT role_name, proven FROM marketplace.authors WHERE fingerprint = $1', [aliceKey.fingerprint]))
      .toEqual([{ role_name: roles.alice, proven: true }]);
  });

  it('cannot make the database store a fingerprint that is not the key\'s', async () => {
    const bob = await sql('bob');
    const bobKey = await loadOrCreateAuthorKey(homes.bob!);
    await attempt(bob, 'INSERT INTO marketplace.authors (public_key, fingerprint) VALUES ($1, $2)', [bobKey.publicKey, 'SHA256:forgedforgedforgedforged']);
    // Even the database owner's own writes get the fingerprint derived from the key.
    const stray = await loadOrCreateAuthorKey(join(homes.carol!, 'stray'));
    await database.admin.query(`INSERT INTO marketplace.authors (role_name, public_key, fingerprint) VALUES ('stray', $1, 'SHA256:forgedforgedforgedforged')`,
      [stray.publicKey]);
    const rows = await database.admin.query<{ public_key: string; fingerprint: string }>('SELECT public_key, fingerprint FROM marketplace.authors');
    for (const row of rows) expect(row.fingerprint).toBe(fingerprintOf(row.public_key));
  });

  it('cannot pass off another author\'s signed bundle as their own plugin', async () => {
    // Alice signed "gamma" and shared it as a bundle before publishing it.
    const alice = await market('alice');
    const bundle = await alice.exportBundle({ dir: await makePlugin(homes.alice!, 'gamma', '1.0.0', 'print("alice gamma")\n') },
      join(homes.alice!, 'gamma.wfplugin'));
    const mallory = await sql('mallory');
    await attempt(mallory, 'INSERT INTO marketplace.authors (public_key, fingerprint) VALUES ($1, $2)', [bundle.publicKey, bundle.fingerprint]);
    await attempt(mallory, `INSERT INTO marketplace.plugins (name, description) VALUES ('gamma', 'by mallory')`);
    await attempt(mallory, insertVersion, ['gamma', '1.0.0', bundle.code, JSON.stringify(bundle.manifest), bundle.sha256, bundle.signature, bundle.fingerprint]);
    await attempt(mallory, `UPDATE marketplace.plugins SET latest_version = '1.0.0' WHERE name = 'gamma'`);

    const carol = await market('carol');
    const installed = await carol.install('gamma').catch((error: unknown) => error);
    expect(installed).toMatchObject({ code: expect.stringMatching(/^(TAMPERED|NOT_FOUND)$/) });
  });
});
