import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real CLI against the local marketplace: installing the version that is installed already
// (found by a new user's trial, who was shown "changes: unchanged" and asked to update).
const bin = join(process.cwd(), 'bin', 'wasmforge.js');
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-install-again-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

const wasmforge = (...args: string[]) => execa(process.execPath, [bin, ...args], { cwd: home, reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, DATABASE_URL: '' }, timeout: 90_000 });

describe('wasmforge install of the version installed already', () => {
  it('says it is installed already and exits 0, asking nothing (no --yes needed)', { timeout: 120_000 }, async () => {
    expect((await wasmforge('init', 'bob-tool', '--description', 'Bob')).exitCode).toBe(0);
    expect((await wasmforge('publish', 'bob-tool', '--yes')).exitCode).toBe(0);
    expect((await wasmforge('install', 'bob-tool', '--yes')).exitCode).toBe(0);

    for (const spec of ['bob-tool', 'bob-tool@0.1.0']) {
      const again = await wasmforge('install', spec);
      expect([again.exitCode, again.stdout]).toEqual([0, 'bob-tool@0.1.0 is already installed']);
      expect(again.stderr).not.toContain('not asked');
      expect(again.stderr).not.toContain('changes from the installed');
    }
    const json = await wasmforge('install', 'bob-tool', '--json');
    expect([json.exitCode, JSON.parse(json.stdout)]).toEqual([0, expect.objectContaining({ name: 'bob-tool', version: '0.1.0', source: 'installed' })]);
  });

  it('says when a newer good version is on the marketplace, and how to get it (a yanked one is not offered)', { timeout: 120_000 }, async () => {
    const manifestPath = join(home, 'bob-tool', 'plugin.json');
    for (const version of ['0.2.0', '0.3.0']) {
      await writeFile(manifestPath, JSON.stringify({ ...JSON.parse(await readFile(manifestPath, 'utf8')) as object, version }));
      expect((await wasmforge('publish', 'bob-tool', '--yes')).exitCode).toBe(0);
    }
    expect((await wasmforge('yank', 'bob-tool@0.3.0')).exitCode).toBe(0);

    const again = await wasmforge('install', 'bob-tool@0.1.0');
    expect([again.exitCode, again.stdout]).toEqual([0, 'bob-tool@0.1.0 is already installed; 0.2.0, a newer version, is on the marketplace: `wasmforge install bob-tool` installs it']);
  });
});
