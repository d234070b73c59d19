import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBundle } from '../../src/marketplace/bundle.ts';
import { resolvePluginForRun } from '../../src/marketplace/resolve-run.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { contentSha256, sha256Hex } from '../../src/marketplace/signing.ts';
import { openLocalDatabase } from '../../src/library/local-db.ts';
import { saveCode } from '../../src/library/workspace.ts';
import { acceptSyntax, aliceAndCarol, bumpVersion, makePlugin, tempHome, type AliceAndCarol, type TestDatabase } from './helpers.ts';

// Multi-file plugins through the marketplace (real PostgreSQL, then the local PGlite one): every
// file is hashed and signed, stored, installed, bundled, and verified before each run.
const FILES = { 'helpers.py': 'def shout(text):\n    return text.upper()\n', 'data/words.txt': 'alpha beta\n' };
const CODE = 'from helpers import shout\nprint(shout("hi"))\n';

let fixture: AliceAndCarol;
let database: TestDatabase;
let alice: Marketplace;
let carol: Marketplace;
let aliceHome: string;
let carolHome: string;
let carolUrl: string;
let dir: string;

beforeAll(async () => {
  fixture = await aliceAndCarol('multi-');
  ({ database, alice, carol, aliceHome, carolHome, carolUrl } = fixture);
  dir = await makePlugin(aliceHome, 'shouter', '1.0.0', CODE);
  await saveCode(dir, CODE, FILES);
});
afterAll(() => fixture?.close());

const carolLocal: AliceAndCarol['carolLocal'] = (work) => fixture.carolLocal(work);

const run = (arg: string) => resolvePluginForRun(arg, carolHome, { databaseUrl: carolUrl });

describe('a multi-file plugin on a PostgreSQL marketplace', () => {
  it('is published with every file under one hash and signature, and installed whole', async () => {
    expect(await alice.publish(dir)).toMatchObject({ status: 'published' });
    const [row] = await database.admin.query<{ files: unknown; sha256: string }>(`SELECT files, sha256 FROM marketplace.versions WHERE plugin = 'shouter'`);
    expect(row).toEqual({ files: FILES, sha256: contentSha256(CODE, FILES) });
    expect(row?.sha256).not.toBe(sha256Hex(CODE));
    expect(await carol.inspect('shouter')).toMatchObject({ verified: true, files: FILES });
    await carol.install('shouter');
    expect(await run('shouter')).toMatchObject({ code: CODE, files: FILES });
  });

  it.each([
    ['a changed helper', `jsonb_set(files, '{helpers.py}', '"import os"')`],
    ['a removed data file', `files - 'data/words.txt'`],
    ['an added module', `files || '{"evil.py": "import os"}'`],
  ])('refuses an installed copy with %s (TAMPERED), and is whole again once reinstalled', async (_what, change) => {
    await carolLocal((db) => db.query(`UPDATE library.installed SET files = ${change} WHERE name = 'shouter'`));
    await expect(run('shouter')).rejects.toMatchObject({ code: 'TAMPERED', message: expect.stringContaining('sha256') });
    await carol.install('shouter');
    expect((await run('shouter')).files).toEqual(FILES);
  });

  it('refuses a file altered inside the marketplace database', async () => {
    await bumpVersion(dir, '1.1.0');
    await alice.publish(dir);
    await database.admin.query(`UPDATE marketplace.versions SET files = jsonb_set(files, '{data/words.txt}', '"gamma"') WHERE plugin = 'shouter' AND version = '1.1.0'`);
    await expect(carol.install('shouter@1.1.0')).rejects.toMatchObject({ code: 'TAMPERED' });
    expect(await carol.inspect('shouter@1.1.0')).toMatchObject({ verified: false, problem: expect.stringContaining('sha256') });
  });

  it('travels in a bundle with all its files; a bundle with one file changed is TAMPERED', async () => {
    const path = join(carolHome, 'shouter.wfplugin');
    const bundle = await carol.exportBundle({ installed: 'shouter' }, path);
    expect(bundle).toMatchObject({ formatVersion: 2, files: FILES });
    const text = await readFile(path, 'utf8');
    expect(parseBundle(text).files).toEqual(FILES);
    const altered = JSON.parse(text) as { files: Record<string, string> };
    altered.files['helpers.py'] = 'import os\n';
    await writeFile(path, JSON.stringify(altered));
    await expect(carol.importBundle(path)).rejects.toMatchObject({ code: 'TAMPERED' });
  });

  it('keeps single-file versions as they were: files {}, sha256 over the code alone, and older bundles without files still verify', async () => {
    const single = await makePlugin(aliceHome, 'plain-one', '1.0.0', 'print(1)\n');
    await alice.publish(single);
    const [row] = await database.admin.query<{ files: unknown; sha256: string }>(`SELECT files, sha256 FROM marketplace.versions WHERE plugin = 'plain-one'`);
    expect(row).toEqual({ files: {}, sha256: sha256Hex('print(1)\n') });
    const path = join(carolHome, 'plain.wfplugin');
    await carol.install('plain-one');
    const { files: _files, ...older } = await carol.exportBundle({ installed: 'plain-one' }, path);
    expect(older.formatVersion).toBe(1);
    expect(parseBundle(JSON.stringify(older))).toMatchObject({ code: 'print(1)\n', files: {} });
  });
});

describe('a multi-file plugin on the local PGlite marketplace', () => {
  it('publishes, installs and verifies every file; a changed file is TAMPERED', async () => {
    const home = await tempHome('multi-local');
    const market = await Marketplace.open({ home: home.path, databaseUrl: null, checkSyntax: acceptSyntax });
    try {
      const local = await makePlugin(home.path, 'local-shouter', '1.0.0', CODE);
      await saveCode(local, CODE, FILES);
      expect(await market.publish(local)).toMatchObject({ status: 'published' });
      await market.install('local-shouter');
      expect(await resolvePluginForRun('local-shouter', home.path)).toMatchObject({ code: CODE, files: FILES });
      const db = await openLocalDatabase(home.path);
      try {
        await db.db.query(`UPDATE library.installed SET files = jsonb_set(files, '{helpers.py}', '"x = 1"') WHERE name = 'local-shouter'`);
      } finally {
        await db.release();
      }
      await expect(resolvePluginForRun('local-shouter', home.path)).rejects.toMatchObject({ code: 'TAMPERED' });
    } finally {
      await market.close();
      await home.remove();
    }
  });
});
