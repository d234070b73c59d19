import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitExistingAuthor } from '../../src/marketplace/admin.ts';
import { migrate } from '../../src/marketplace/db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from '../../src/marketplace/db/schema.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { loadOrCreateAuthorKey } from '../../src/marketplace/signing.ts';
import { acceptSyntax, createTestDatabase, makePlugin, tempHome, type TestDatabase } from './helpers.ts';

// Issue #9, section 2, on a marketplace that already existed: Mallory squatted Alice's key and
// published Alice's signed bundle as her own before the database checked proofs. After the
// upgrade, Alice must be able to publish, and Mallory's pass-off must no longer install.
let database: TestDatabase;
const cleanup: Array<() => Promise<void>> = [];
let aliceUrl: string;
let carolUrl: string;
let aliceHome: string;
let carolHome: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await migrate(database.admin, { ...MARKETPLACE_MIGRATIONS, migrations: MARKETPLACE_MIGRATIONS.migrations.slice(0, 6) });
  aliceUrl = await database.author('alice', { legacy: true });
  carolUrl = await database.author('carol', { legacy: true });
  const malloryUrl = await database.author('mallory', { legacy: true });
  const [a, c] = await Promise.all([tempHome('alice'), tempHome('carol')]);
  aliceHome = a.path;
  carolHome = c.path;
  cleanup.push(a.remove, c.remove);

  // Alice shared a signed bundle of "legacy-pass" before publishing it.
  const alice = await Marketplace.open({ home: aliceHome, databaseUrl: aliceUrl, checkSyntax: acceptSyntax, catalogCopy: false });
  const bundle = await alice.exportBundle({ dir: await makePlugin(aliceHome, 'legacy-pass') }, join(aliceHome, 'b.wfplugin'));
  await alice.close();

  // Before the upgrade, all of this was allowed.
  const mallory = new pg.Client({ connectionString: malloryUrl });
  mallory.on('error', () => undefined);
  await mallory.connect();
  try {
    await mallory.query('INSERT INTO marketplace.authors (public_key, fingerprint) VALUES ($1, $2)', [bundle.publicKey, bundle.fingerprint]);
    await mallory.query(`INSERT INTO marketplace.plugins (name) VALUES ('legacy-pass')`);
    await mallory.query(`INSERT INTO marketplace.versions (plugin, version, code, manifest, sha256, signature, fingerprint, publish_id)
      VALUES ('legacy-pass', '1.0.0', $1, $2, $3, $4, $5, gen_random_uuid())`,
    [bundle.code, JSON.stringify(bundle.manifest), bundle.sha256, bundle.signature, bundle.fingerprint]);
    await mallory.query(`UPDATE marketplace.plugins SET latest_version = '1.0.0' WHERE name = 'legacy-pass'`);
  } finally {
    await mallory.end();
  }

  await migrate(database.admin, MARKETPLACE_MIGRATIONS);
  // Alice and Carol had used no marketplace yet, so the owner admits them (`db add-author --existing`).
  for (const url of [aliceUrl, carolUrl]) await admitExistingAuthor(database.admin, new URL(url).username);
}, 120_000);
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await database?.drop();
});

describe('a key squatted before the upgrade', () => {
  it('does not lock its real owner out: proving the key outranks the squatter', async () => {
    const alice = await Marketplace.open({ home: aliceHome, databaseUrl: aliceUrl, checkSyntax: acceptSyntax, catalogCopy: false });
    try {
      expect(await alice.publish(await makePlugin(aliceHome, 'alice-after'))).toMatchObject({ status: 'published' });
    } finally {
      await alice.close();
    }
    const key = await loadOrCreateAuthorKey(aliceHome);
    const proven = await database.admin.query<{ role_name: string }>('SELECT role_name FROM marketplace.authors WHERE fingerprint = $1 AND proven', [key.fingerprint]);
    expect(proven.map((row) => row.role_name)).toEqual([new URL(aliceUrl).username]);
  });

  it('no longer lets the squatter\'s copy of a signed bundle install as theirs', async () => {
    const carol = await Marketplace.open({ home: carolHome, databaseUrl: carolUrl, checkSyntax: acceptSyntax, catalogCopy: false });
    try {
      await expect(carol.install('legacy-pass')).rejects.toMatchObject({ code: 'TAMPERED' });
      expect((await carol.details('legacy-pass')).ownerFingerprint).toBeNull();
    } finally {
      await carol.close();
    }
  });
});
