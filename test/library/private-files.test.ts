import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDataHome } from '../../src/library/home.ts';
import { createLibrary } from '../../src/library/library.ts';
import { saveSettings, loadSettings } from '../../src/library/settings.ts';
import { tempHome } from '../marketplace/helpers.ts';

// Issue #9: the data folder holds keys, passwords and history; nobody but its owner may read it.
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const mode = async (path: string): Promise<string> => ((await stat(path)).mode & 0o777).toString(8);

/** Every entry under `root` that group or others may use, as `mode path`. */
async function readableByOthers(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const info = await stat(path);
    if (info.mode & 0o077) found.push(`${(info.mode & 0o777).toString(8)} ${path}`);
  }
  return found;
}

describe.skipIf(process.platform === 'win32')('the data folder is its owner\'s alone', () => {
  it('is created 0700, and an existing one is tightened to 0700', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'wasmforge-private-'));
    cleanup.push(() => rm(parent, { recursive: true, force: true }));
    expect(await mode(resolveDataHome(join(parent, 'new')))).toBe('700');
    await mkdir(join(parent, 'old'), { mode: 0o755 });
    await chmod(join(parent, 'old'), 0o755);
    expect(await mode(resolveDataHome(join(parent, 'old')))).toBe('700');
    // A data folder pointed at a shared, sticky folder (like /tmp) leaves it open to the others.
    await mkdir(join(parent, 'shared'), { mode: 0o1777 });
    await chmod(join(parent, 'shared'), 0o1777);
    resolveDataHome(join(parent, 'shared'));
    expect(((await stat(join(parent, 'shared'))).mode & 0o7777).toString(8)).toBe('1777');
  });

  it('keeps the database (PGlite writes its files 0666; history and installed plugins live there) and settings private', async () => {
    const home = await tempHome('private');
    cleanup.push(home.remove);
    await chmod(home.path, 0o755);
    await writeFile(join(home.path, 'settings.json'), '{}\n', { mode: 0o644 });
    await chmod(join(home.path, 'settings.json'), 0o644);
    const library = await createLibrary(home.path);
    try {
      await library.recordRun({ plugin: 'p', input: 'in', result: { ok: true, output: 'o', logs: '', error: null, aiCalls: [], durationMs: 1, engine: 'embedded' } });
      await saveSettings(home.path, await loadSettings(home.path));
      expect(await mode(home.path)).toBe('700');
      expect(await readableByOthers(home.path)).toEqual([]);
    } finally {
      await library.close();
    }
    // Files PostgreSQL made while open (with the umask's modes) are tightened when it closes.
    expect(await readableByOthers(home.path)).toEqual([]);
  }, 180_000);
});
