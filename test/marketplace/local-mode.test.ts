import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Marketplace } from '../../src/marketplace/service.ts';
import { keyFile } from '../../src/marketplace/signing.ts';
import { resolvePluginForRun } from '../../src/marketplace/resolve-run.ts';
import { createLibrary } from '../../src/library/library.ts';
import { openLocalDatabase } from '../../src/library/local-db.ts';
import { forkPlugin } from '../../src/library/workspace.ts';
import { acceptSyntax, bumpVersion, makePlugin, tempHome } from './helpers.ts';

// Without a database URL the marketplace is the local PGlite database, through the same code.
let author: { path: string; remove: () => Promise<void> };
let reader: { path: string; remove: () => Promise<void> };
let market: Marketplace;
let dir: string;

beforeAll(async () => {
  [author, reader] = await Promise.all([tempHome('local-author'), tempHome('local-reader')]);
  market = await Marketplace.open({ home: author.path, databaseUrl: null, checkSyntax: acceptSyntax });
  dir = await makePlugin(author.path, 'local-echo', '1.0.0', 'print("one")\n', { description: 'Echo, locally', tags: ['local'] });
});
afterAll(async () => {
  await market?.close();
  await author?.remove();
  await reader?.remove();
});

describe('the local PGlite marketplace', () => {
  it('publishes, finds, installs and runs a plugin', async () => {
    expect(market.mode).toBe('local');
    expect(await market.publish(dir)).toMatchObject({ status: 'published' });
    expect((await market.search({ text: 'echo' })).items).toEqual([expect.objectContaining({
      name: 'local-echo', latestVersion: '1.0.0', models: ['qwen2.5:1.5b'], ownerFingerprint: (await market.identity()).fingerprint,
    })]);
    expect(await market.install('local-echo')).toMatchObject({ version: '1.0.0', marketplace: 'local' });
    expect(await resolvePluginForRun('local-echo', author.path)).toMatchObject({ code: 'print("one")\n', filename: 'local-echo.py' });
  });

  it('shows a version before installing it, and copies it into the workspace as a plugin the user owns', async () => {
    const inspected = await market.inspect('local-echo');
    expect(inspected).toMatchObject({ verified: true, problem: null, code: 'print("one")\n', manifest: { models: ['qwen2.5:1.5b'] } });
    const fork = await forkPlugin(join(author.path, 'my-echo'), inspected);
    expect(fork.manifest).toMatchObject({ name: 'local-echo-copy', version: '0.1.0', description: 'Echo, locally' });
    expect(fork.code).toBe('print("one")\n');
  });

  it('refuses a version that is not greater, and revokes a yanked one', async () => {
    await expect(market.publish(dir)).rejects.toMatchObject({ code: 'VERSION_NOT_GREATER' });
    await bumpVersion(dir, '1.0.1', 'print("two")\n');
    await market.publish(dir);
    expect(await market.checkUpdates()).toEqual([expect.objectContaining({ updateAvailable: true, latest: '1.0.1' })]);
    await market.yank('local-echo@1.0.0', 'wrong output');
    await expect(resolvePluginForRun('local-echo', author.path)).rejects.toMatchObject({ code: 'REVOKED', hint: expect.stringContaining('local-echo@1.0.1') });
  });

  it('lists a copy whose stored manifest was damaged, but refuses to run it', async () => {
    await market.install('local-echo@1.0.1');
    const local = await openLocalDatabase(author.path);
    try {
      await local.db.query(`UPDATE library.installed SET manifest = '{"limits": {"wallTimeMs": 999999999}}' WHERE name = 'local-echo'`);
    } finally {
      await local.release();
    }
    const library = await createLibrary(author.path);
    try {
      expect((await library.listInstalled()).map((plugin) => plugin.manifest.description)).toEqual(['(damaged manifest)']);
    } finally {
      await library.close();
    }
    await expect(resolvePluginForRun('local-echo', author.path)).rejects.toMatchObject({ code: 'TAMPERED' });
  });

  it('keeps one author key, private to the user, with a stable fingerprint', async () => {
    const first = await market.identity();
    expect(first.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect((await market.identity()).fingerprint).toBe(first.fingerprint);
    expect((await stat(keyFile(author.path))).mode & 0o777).toBe(0o600);
  });
});

describe('offline bundles', () => {
  let bundlePath: string;
  let other: Marketplace;
  beforeAll(async () => {
    bundlePath = join(author.path, 'local-echo.wfplugin');
    await market.install('local-echo');
    other = await Marketplace.open({ home: reader.path, databaseUrl: null, checkSyntax: acceptSyntax });
  });
  afterAll(async () => {
    await other?.close();
  });

  it('exports an installed plugin with its author signature and imports it on another machine', async () => {
    const bundle = await market.exportBundle({ installed: 'local-echo' }, bundlePath);
    expect(bundle).toMatchObject({ name: 'local-echo', version: '1.0.1', fingerprint: (await market.identity()).fingerprint });
    expect(await other.importBundle(bundlePath)).toMatchObject({ name: 'local-echo', version: '1.0.1', source: 'bundle' });
    expect((await resolvePluginForRun('local-echo', reader.path)).code).toBe('print("two")\n');
  });

  it('refuses a bundle whose code was edited, and files that are not bundles', async () => {
    const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as Record<string, unknown>;
    const edited = join(author.path, 'edited.wfplugin');
    await writeFile(edited, JSON.stringify({ ...bundle, code: 'import os\nos.remove("x")\n' }));
    await expect(other.importBundle(edited)).rejects.toMatchObject({ code: 'TAMPERED' });
    await writeFile(edited, 'not json');
    await expect(other.importBundle(edited)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await writeFile(edited, JSON.stringify({ ...bundle, format: 'zip' }));
    await expect(other.importBundle(edited)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(other.importBundle(join(author.path, 'missing.wfplugin'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('pins the author key: the same name signed by someone else is refused unless trusted explicitly', async () => {
    const impostor = await tempHome('impostor');
    const impostorMarket = await Marketplace.open({ home: impostor.path, databaseUrl: null, checkSyntax: acceptSyntax });
    try {
      const forgedPath = join(impostor.path, 'forged.wfplugin');
      await impostorMarket.exportBundle({ dir: await makePlugin(impostor.path, 'local-echo', '9.0.0', 'print("evil")\n') }, forgedPath);
      await expect(other.importBundle(forgedPath)).rejects.toMatchObject({ code: 'TAMPERED', hint: expect.stringContaining('--trust-new-key') });
      expect((await resolvePluginForRun('local-echo', reader.path)).code).toBe('print("two")\n');
      expect(await other.importBundle(forgedPath, { trustNewKey: true })).toMatchObject({ version: '9.0.0' });
    } finally {
      await impostorMarket.close();
      await impostor.remove();
    }
  });
});
