import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(process.cwd(), 'bin', 'wasmforge.js');
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-models-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

const wasmforge = (...args: string[]) => execa(process.execPath, [bin, ...args], { cwd: home, reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, DATABASE_URL: '' } });
const models = async (dir: string) => (JSON.parse(await readFile(join(home, dir, 'plugin.json'), 'utf8')) as { models: string[] }).models;

describe('the models a plugin declares are the ones its code calls (issue #12)', () => {
  it('init --template starts from a starter with exactly its models; publish corrects plugin.json to what plugin.py calls', { timeout: 120_000 }, async () => {
    const created = await wasmforge('init', 'reviewer', '--template', 'original-code-review');
    expect([created.exitCode, created.stdout]).toEqual([0, `created reviewer@0.1.0 in ${join(home, 'reviewer')}`]);
    expect(await models('reviewer')).toEqual(['mistral']);
    expect(await readFile(join(home, 'reviewer', 'plugin.py'), 'utf8')).toContain('call_ai("mistral", question + code)');

    // The template's leftover (mistral) goes; the two models the code names come in.
    await writeFile(join(home, 'reviewer', 'plugin.py'), 'from platform_sdk import call_ai, send_output\n'
      + '# call_ai("gemma2:2b", "only a comment")\nsend_output(call_ai("llama3", "a") + call_ai(model="qwen2.5:1.5b", prompt="b"))\n');
    const published = await wasmforge('publish', 'reviewer', '--yes');
    expect(published.exitCode).toBe(0);
    expect(published.stderr).toContain("plugin.json: models set to llama3, qwen2.5:1.5b, the ones the plugin's code calls");
    expect(await models('reviewer')).toEqual(['llama3', 'qwen2.5:1.5b']);
  });

  it('init --template with no such starter is a usage error that lists them', async () => {
    const refused = await wasmforge('init', 'nothing', '--template', 'nope');
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('There is no starter template "nope"');
    expect(refused.stderr).toContain('original-multi-step');
  });
});
