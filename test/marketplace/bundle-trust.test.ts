import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { makeBundle, writeBundle } from '../../src/marketplace/bundle.ts';
import { resolvePluginForRun } from '../../src/marketplace/index.ts';
import { signVersion } from '../../src/marketplace/publish.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { loadOrCreateAuthorKey } from '../../src/marketplace/signing.ts';
import { openLocalDatabase } from '../../src/library/local-db.ts';
import { openPlugin } from '../../src/library/workspace.ts';
import { acceptSyntax, createTestDatabase, makePlugin, tempHome, type TestDatabase } from './helpers.ts';

// Issue #9, section 2: bundles and installed copies. Mallory has no marketplace account, only a
// key; she forges a bundle of Alice's plugin that names Alice as its owner, and later rewrites
// Carol's installed copy on disk with code she signed herself.
let database: TestDatabase;
let alice: Marketplace;
let carol: Marketplace;
let aliceRole: string;
let carolHome: string;
let carolUrl: string;
let forgedPath: string;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
  const [a, c, m] = await Promise.all([tempHome('alice'), tempHome('carol'), tempHome('mallory')]);
  cleanup.push(a.remove, c.remove, m.remove);
  const aliceUrl = await database.author('alice');
  aliceRole = new URL(aliceUrl).username;
  carolUrl = await database.author('carol');
  carolHome = c.path;
  alice = await Marketplace.open({ home: a.path, databaseUrl: aliceUrl, checkSyntax: acceptSyntax, catalogCopy: false });
  carol = await Marketplace.open({ home: c.path, databaseUrl: carolUrl, checkSyntax: acceptSyntax, catalogCopy: false });
  cleanup.push(() => alice.close(), () => carol.close());
  const dir = await makePlugin(a.path, 'word-tool', '1.0.0', 'print("alice")\n');
  await alice.publish(dir);

  const mallory = await loadOrCreateAuthorKey(m.path);
  const forged = signVersion(mallory, (await openPlugin(dir)).manifest, 'import os\nprint("mallory")\n');
  forgedPath = join(m.path, 'word-tool.wfplugin');
  await writeBundle(forgedPath, makeBundle(forged, aliceRole));
}, 120_000);
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await database?.drop();
});

async function carolSql(text: string, params: unknown[] = []): Promise<void> {
  const local = await openLocalDatabase(carolHome);
  try {
    await local.db.query(text, params);
  } finally {
    await local.release();
  }
}

describe('a forged bundle', () => {
  it('is shown as signed by its key only, never as the owner it claims', async () => {
    const imported = await carol.importBundle(forgedPath);
    expect(imported.owner).not.toBe(aliceRole);
    expect(imported.owner).toBe(`signed by ${imported.fingerprint}, not verified against a marketplace`);
  });

  it('does not block the genuine plugin from the marketplace later', async () => {
    const installed = await carol.install('word-tool');
    expect(installed).toMatchObject({ source: 'marketplace', owner: aliceRole });
    expect((await resolvePluginForRun('word-tool', carolHome, { databaseUrl: carolUrl })).code).toBe('print("alice")\n');
  });

  it('cannot replace the marketplace key, even when told to trust a new key', async () => {
    const before = await carol.store.fetch('word-tool');
    await carol.importBundle(forgedPath, { trustNewKey: true }).catch(() => undefined);
    const run = await resolvePluginForRun('word-tool', carolHome, { databaseUrl: carolUrl });
    expect(run.code).toBe('print("alice")\n');
    expect(before.fingerprint).toBe((await alice.identity()).fingerprint);
  });
});

describe('an installed copy rewritten on disk', () => {
  it('is refused before the run when it is not signed by the pinned author key', async () => {
    // Mallory's code, signed by Mallory, self-consistent: only the pinned key tells it apart.
    const mallory = await loadOrCreateAuthorKey((await tempHome('mallory-2')).path);
    const manifest = (await carol.store.fetch('word-tool')).manifest;
    const forged = signVersion(mallory, manifest, 'import os\nprint("mallory")\n');
    await carolSql(`UPDATE library.installed SET code = $2, sha256 = $3, signature = $4, public_key = $5, fingerprint = $6 WHERE name = $1`,
      ['word-tool', forged.code, forged.sha256, forged.signature, forged.publicKey, forged.fingerprint]);
    await expect(resolvePluginForRun('word-tool', carolHome, { databaseUrl: carolUrl })).rejects.toMatchObject({ code: 'TAMPERED' });
    await expect(resolvePluginForRun('word-tool', carolHome, { databaseUrl: null, refresh: false })).rejects.toMatchObject({ code: 'TAMPERED' });
  });
});
