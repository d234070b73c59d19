import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Marketplace } from '../../src/marketplace/service.ts';
import { loadOrCreateAuthorKey, sha256Hex } from '../../src/marketplace/signing.ts';
import { signVersion } from '../../src/marketplace/publish.ts';
import { resolvePluginForRun } from '../../src/marketplace/resolve-run.ts';
import { aliceAndCarol, bumpVersion, makePlugin, tempHome, type AliceAndCarol, type TestDatabase } from './helpers.ts';

let fixture: AliceAndCarol;
let database: TestDatabase;
let alice: Marketplace;
let carol: Marketplace;
let aliceHome: string;
let carolHome: string;
let carolUrl: string;
let toolDir: string;

beforeAll(async () => {
  fixture = await aliceAndCarol('');
  ({ database, alice, carol, aliceHome, carolHome, carolUrl } = fixture);
  toolDir = await makePlugin(aliceHome, 'word-count', '1.0.0', 'print("v1")\n', { description: 'Counts words', tags: ['text'] });
  await alice.publish(toolDir);
});
afterAll(() => fixture?.close());

const carolLocal: AliceAndCarol['carolLocal'] = (work) => fixture.carolLocal(work);

const run = (arg: string) => resolvePluginForRun(arg, carolHome, { databaseUrl: carolUrl });

describe('install, verify, update, revoke', () => {
  it('installs the newest version, counts the download, and runs it after verification', async () => {
    const installed = await carol.install('word-count');
    expect(installed).toMatchObject({ name: 'word-count', version: '1.0.0', source: 'marketplace', updateAvailable: false });
    expect((await carol.details('word-count')).downloads).toBe(1);
    expect(await run('word-count')).toMatchObject({ name: 'word-count', version: '1.0.0', code: 'print("v1")\n' });
  });

  it('says "update available" when a newer version is published, and installs it', async () => {
    await bumpVersion(toolDir, '1.1.0', 'print("v2")\n');
    await alice.publish(toolDir);
    expect(await carol.checkUpdates()).toEqual([expect.objectContaining({ name: 'word-count', installed: '1.0.0', latest: '1.1.0', updateAvailable: true })]);
    const lib = await (await import('../../src/library/library.ts')).createLibrary(carolHome);
    expect((await lib.listInstalled())[0]).toMatchObject({ version: '1.0.0', updateAvailable: true, latestKnown: '1.1.0' });
    await lib.close();
    expect((await carol.install('word-count')).version).toBe('1.1.0');
  });

  it('refuses to run a local copy whose code was changed (TAMPERED)', async () => {
    await carolLocal((db) => db.query(`UPDATE library.installed SET code = 'import os' WHERE name = 'word-count'`));
    await expect(run('word-count')).rejects.toMatchObject({ code: 'TAMPERED', message: expect.stringContaining('sha256') });
    // Even with a matching hash, the signature no longer holds.
    await carolLocal((db) => db.query(`UPDATE library.installed SET sha256 = $1 WHERE name = 'word-count'`, [sha256Hex('import os')]));
    await expect(run('word-count')).rejects.toMatchObject({ code: 'TAMPERED', message: expect.stringContaining('signature') });
    await carol.install('word-count');
    expect((await run('word-count')).code).toBe('print("v2")\n');
  });

  it('refuses code altered inside the marketplace database, even if re-signed by another key', async () => {
    await database.admin.query(`UPDATE marketplace.versions SET code = 'import os' WHERE plugin = 'word-count' AND version = '1.1.0'`);
    await expect(carol.install('word-count@1.1.0')).rejects.toMatchObject({ code: 'TAMPERED' });
    expect(await carol.inspect('word-count@1.1.0')).toMatchObject({ verified: false, problem: expect.stringContaining('sha256') });
    // An attacker with database access signs their own code with their own (registered) key.
    const mallory = await loadOrCreateAuthorKey((await tempHome('mallory')).path);
    const forged = signVersion(mallory, (await alice.store.fetch('word-count', '1.0.0')).manifest, 'import os');
    await database.admin.query(`INSERT INTO marketplace.authors (role_name, public_key, fingerprint) VALUES ('mallory', $1, $2)`, [mallory.publicKey, mallory.fingerprint]);
    await database.admin.query(`UPDATE marketplace.versions SET code = $1, sha256 = $2, signature = $3, fingerprint = $4, signer = 'mallory'
      WHERE plugin = 'word-count' AND version = '1.1.0'`, [forged.code, forged.sha256, forged.signature, forged.fingerprint]);
    await expect(carol.install('word-count@1.1.0')).rejects.toMatchObject({ code: 'TAMPERED', message: expect.stringContaining('owner') });
  });

  it('refuses a yanked version with REVOKED and offers the newest good one', async () => {
    await bumpVersion(toolDir, '1.2.0', 'print("v3")\n');
    await alice.publish(toolDir);
    await carol.install('word-count@1.2.0');
    await alice.yank('word-count@1.2.0', 'deletes files');
    await alice.yank('word-count@1.1.0', 'tampered in the database');
    await expect(run('word-count')).rejects.toMatchObject({
      code: 'REVOKED', message: expect.stringContaining('deletes files'), hint: expect.stringContaining('word-count@1.0.0'),
    });
    await expect(carol.install('word-count@1.2.0')).rejects.toMatchObject({ code: 'REVOKED' });
    expect((await carol.install('word-count')).version).toBe('1.0.0');
    expect((await run('word-count')).code).toBe('print("v1")\n');
    expect((await alice.details('word-count')).latestVersion).toBe('1.0.0');
  });

  it('reports NOT_FOUND for unknown plugins and invalid names as BAD_INPUT', async () => {
    await expect(carol.install('no-such-plugin')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(carol.install("x'; DROP TABLE marketplace.plugins; --")).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(run('not-installed')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
