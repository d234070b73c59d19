import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stagingFolder } from '../../src/library/leftovers.ts';
import { openLocalDatabase } from '../../src/library/local-db.ts';
import { tempHome } from '../marketplace/helpers.ts';

// Issue #9: what kill -9 leaves in the data folder is removed on the next start, but only what
// provably belongs to a dead process (or is a day old), never what a live one is using.
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

const TWO_DAYS_AGO = new Date(Date.now() - 2 * 24 * 60 * 60_000);

describe('leftovers of killed processes', () => {
  it('are removed when the data folder opens next; a live process\'s are kept', async () => {
    const home = await tempHome('leftovers');
    cleanup.push(home.remove);
    const dead = deadPid();
    const live = process.ppid;
    const at = (...parts: string[]): string => join(home.path, ...parts);
    const plant = async (path: string, old = false): Promise<void> => {
      if (path.includes('staging')) {
        await mkdir(path, { recursive: true });
        await writeFile(join(path, 'plugin.py'), 'print(1)\n');
      } else {
        await writeFile(path, '');
      }
      if (old) await utimes(path, TWO_DAYS_AGO, TWO_DAYS_AGO);
    };
    await plant(at(`db.lock.${dead}`)); // the old zero-byte name
    await plant(at(`db.lock.${dead}.a1b2c3d4e5f6`));
    await plant(at(`db.lock.${live}.a1b2c3d4e5f6`));
    await plant(at(`db.lock.${live}.0f0f0f0f0f0f`), true);
    await plant(at('staging', `publish-${dead}-a1b2c3d4e5f6`));
    await plant(at('staging', `publish-${live}-a1b2c3d4e5f6`));
    await plant(at('staging', 'publish-a1b2c3d4e5f6'), true); // the old name, without a pid: by age
    await plant(at('staging', 'publish-0a1b2c3d4e5f'));
    await plant(at('staging', 'keep-me.txt'), true); // not a name of ours
    await mkdir(at('workspace', 'tool'), { recursive: true });
    await plant(at('workspace', 'tool', `plugin.json.${dead}-a1b2c3d4e5f6.tmp`)); // a save killed before its rename
    await plant(at('workspace', 'tool', `plugin.py.${live}-a1b2c3d4e5f6.tmp`));
    await plant(at(`settings.json.${dead}-a1b2c3d4e5f6.tmp`));

    const local = await openLocalDatabase(home.path);
    await local.release();

    expect((await readdir(home.path)).filter((name) => name.startsWith('db.lock')).sort()).toEqual([`db.lock.${live}.a1b2c3d4e5f6`]);
    expect(await readdir(at('workspace', 'tool'))).toEqual([`plugin.py.${live}-a1b2c3d4e5f6.tmp`]);
    expect((await readdir(home.path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect((await readdir(at('staging'))).sort()).toEqual(['keep-me.txt', 'publish-0a1b2c3d4e5f', `publish-${live}-a1b2c3d4e5f6`].sort());
  }, 180_000);
});

describe.skipIf(process.platform === 'win32')('a staging folder', () => {
  it('is private and named with its maker\'s pid', async () => {
    const home = await mkdtemp(join(tmpdir(), 'wasmforge-staging-'));
    cleanup.push(() => rm(home, { recursive: true, force: true }));
    const dir = await stagingFolder(home, 'publish');
    expect(basename(dir)).toMatch(new RegExp(`^publish-${process.pid}-[0-9a-f]{12}$`));
    const mode = async (path: string): Promise<string> => ((await stat(path)).mode & 0o777).toString(8);
    expect([await mode(join(home, 'staging')), await mode(dir)]).toEqual(['700', '700']);
  });
});
