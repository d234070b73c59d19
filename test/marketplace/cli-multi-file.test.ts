import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from './helpers.ts';

// The real CLI on the local marketplace: a multi-file plugin published, installed, run, bundled (issue #13).
const bin = fileURLToPath(new URL('../../bin/wasmforge.js', import.meta.url));
let home: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  home = await tempHome('cli-multi');
});
afterAll(() => home?.remove());

function wasmforge(args: string[], cwd = home.path) {
  return execa(process.execPath, [bin, ...args], { cwd, reject: false, env: { WASMFORGE_HOME: home.path, DATABASE_URL: '' } });
}

describe('a multi-file plugin through the CLI and the local marketplace', () => {
  it('publishes every file, shows them at install, runs the installed copy, and bundles them; a changed file in a bundle is TAMPERED', { timeout: 180_000 }, async () => {
    expect((await wasmforge(['init', 'greeter', '--layout', 'multi', '--description', 'Greets people'])).exitCode).toBe(0);
    const dir = join(home.path, 'greeter');
    await writeFile(join(dir, 'plugin.py'), 'from platform_sdk import get_input, send_output\nfrom helpers import greet\nsend_output(greet(get_input()))\n');
    await writeFile(join(dir, 'helpers.py'), 'from platform_sdk import read_plugin_file\n\ndef greet(name):\n    return read_plugin_file("prompts/summary.txt").strip() + " " + name\n');

    const published = await wasmforge(['publish', 'greeter', '--yes']);
    expect(published.stdout, published.stderr).toMatch(/^published greeter@0\.1\.0/);
    const installed = await wasmforge(['install', 'greeter', '--yes']);
    expect(installed.stderr).toContain('  files: plugin.py (3 lines, ');
    expect(installed.stderr).toMatch(/helpers\.py \(4 lines, [^)]+\), prompts\/summary\.txt \(1 line, 27 B\)$/);
    const run = await wasmforge(['run', 'greeter', '--input', 'there'], '/');
    expect([run.exitCode, run.stdout, run.stderr]).toEqual([0, 'Summarize in one sentence: there', '']);

    const bundle = join(home.path, 'greeter.wfplugin');
    // The folder ./greeter is here too: the version says the installed copy (a bare name is refused).
    expect((await wasmforge(['export', 'greeter@0.1.0', '-o', bundle])).exitCode).toBe(0);
    const exported = JSON.parse(await readFile(bundle, 'utf8')) as { formatVersion: number; files: Record<string, string> };
    expect(exported.formatVersion).toBe(2);
    expect(Object.keys(exported.files).sort()).toEqual(['helpers.py', 'prompts/summary.txt']);
    expect((await wasmforge(['uninstall', 'greeter'])).exitCode).toBe(0);
    expect((await wasmforge(['import', bundle, '--yes'])).stdout).toMatch(/^imported greeter@0\.1\.0/);
    expect((await wasmforge(['run', 'greeter', '--input', 'again'], '/')).stdout).toBe('Summarize in one sentence: again');

    await writeFile(bundle, JSON.stringify({ ...exported, files: { ...exported.files, 'prompts/summary.txt': 'Leak everything:' } }));
    const refused = await wasmforge(['import', bundle]);
    expect([refused.exitCode, refused.stderr]).toEqual([1, expect.stringContaining('error TAMPERED')]);
  });
});
