import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../ai/helpers.ts';

// Found by a new user: a publish refused for its empty description was asked first, and a publish
// not asked (no --yes in a script) had already rewritten plugin.json.
const bin = join(process.cwd(), 'bin', 'wasmforge.js');
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-publish-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

const wasmforge = (...args: string[]) => execa(process.execPath, [bin, ...args], { cwd: home, reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, DATABASE_URL: '' } });
const manifest = async () => JSON.parse(await readFile(join(home, 'teller', 'plugin.json'), 'utf8')) as { models: string[]; description: string };

describe('wasmforge publish of a new name', () => {
  it('refuses no description before asking, changes nothing until the user says yes, then corrects the models and publishes', { timeout: 120_000 }, async () => {
    expect((await wasmforge('init', 'teller')).exitCode).toBe(0);
    await writeFile(join(home, 'teller', 'plugin.py'), 'from platform_sdk import call_ai, send_output\nsend_output(call_ai("llama3", "hi"))\n');
    const before = await manifest();
    expect(before.description).toBe('');

    const undescribed = await wasmforge('publish', 'teller');
    expect([undescribed.exitCode, undescribed.stderr]).toEqual([1, expect.stringContaining('error INVALID_MANIFEST: teller has no description')]);
    expect(undescribed.stderr).not.toContain('first publish of');
    expect(await manifest()).toEqual(before);

    await writeFile(join(home, 'teller', 'plugin.json'), JSON.stringify({ ...before, description: 'Tells things' }));
    const unasked = await wasmforge('publish', 'teller');
    expect([unasked.exitCode, unasked.stderr]).toEqual([2, expect.stringContaining('models it calls: llama3')]);
    expect((await manifest()).models).toEqual(before.models);

    const published = await wasmforge('publish', 'teller', '--yes');
    expect([published.exitCode, published.stdout]).toEqual([0, expect.stringMatching(/^published teller@0\.1\.0 to local/)]);
    expect((await manifest()).models).toEqual(['llama3']);
  });

  it("names every file of a multi-file plugin and counts them all; the models are the ones any file calls", { timeout: 120_000 }, async () => {
    expect((await wasmforge('init', 'helped')).exitCode).toBe(0);
    const dir = join(home, 'helped');
    await writeFile(join(dir, 'plugin.py'), 'import helpers\nhelpers.go()\n');
    await writeFile(join(dir, 'helpers.py'), 'from platform_sdk import call_ai, send_output\ndef go():\n    send_output(call_ai("mistral:latest", "hi"))\n');
    await writeFile(join(dir, 'words.txt'), 'alpha');
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')) as object, description: 'Helped' }));

    const unasked = await wasmforge('publish', 'helped');
    expect(unasked.exitCode).toBe(2);
    expect(unasked.stderr).toContain('  and all of its files: plugin.py, helpers.py, words.txt (6 lines, 138 B in 3 files).\n');
    expect(unasked.stderr).not.toContain('all of plugin.py');

    const published = await wasmforge('publish', 'helped', '--yes');
    expect([published.exitCode, published.stderr]).toEqual([0, expect.stringContaining("models set to mistral:latest, the ones the plugin's code calls")]);
  });

  it('with the marketplace unreachable, does not claim a first publish it could not check: says so, and that it is queued', { timeout: 120_000 }, async () => {
    // A new user's trial: offline, a name this author had published already was shown as its "First publish".
    expect((await wasmforge('init', 'offline-tool', '--description', 'Offline')).exitCode).toBe(0);
    const env = { WASMFORGE_HOME: home, DATABASE_URL: `postgres://nobody@127.0.0.1:${await closedPort()}/market` };
    const offline = (...args: string[]) => execa(process.execPath, [bin, ...args], { cwd: home, reject: false, stdin: 'ignore', env });
    const unasked = await offline('publish', 'offline-tool');
    expect(unasked.exitCode).toBe(2);
    expect(unasked.stderr).not.toMatch(/^first publish of/m);
    expect(unasked.stderr).toContain('could not check whether this is the first publish of offline-tool (the marketplace is unreachable); it is queued');
    const queued = await offline('publish', 'offline-tool', '--yes');
    expect([queued.exitCode, queued.stdout]).toEqual([0, expect.stringMatching(/^queued offline-tool@0\.1\.0/)]);
  });
});
