import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOllama } from '../fake-ollama/server.ts';

// The real CLI on a multi-file plugin folder: init --layout multi, run, test (offline), tracebacks.
let fake: FakeOllama;
let home: string;

beforeAll(async () => {
  fake = await FakeOllama.start({ models: [{ name: 'qwen2.5:1.5b' }] });
  home = await mkdtemp(join(tmpdir(), 'wf-cli-multi-'));
  await writeFile(join(home, 'settings.json'), JSON.stringify({ ollama: { host: fake.url } }));
});
afterAll(() => fake.close());

function cli(...args: string[]) {
  return execa('node', ['bin/wasmforge.js', ...args], { env: { WASMFORGE_HOME: home }, input: '', reject: false, timeout: 90_000 });
}

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(home, name);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('wasmforge init --layout multi, run and test', () => {
  it('creates plugin.py with a helper module and a data file, which run and test like a single file', async () => {
    const dir = join(home, 'summary');
    const init = await cli('init', dir, '--layout', 'multi');
    expect(init.exitCode, init.stderr).toBe(0);
    expect(init.stdout).toContain('(plugin.py, helpers.py, prompts/summary.txt)');
    expect((await readdir(dir)).sort()).toEqual(['helpers.py', 'plugin.json', 'plugin.py', 'prompts', 'tests']);
    expect(JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')).models).toEqual(['qwen2.5:1.5b']);

    const run = await cli('run', dir, '--input', 'the report', '--save-test', 'report');
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toBe('Answer from qwen2.5:1.5b: Summarize in one sentence: the report');

    await writeFile(join(home, 'settings.json'), JSON.stringify({ ollama: { host: 'http://127.0.0.1:9' } }));
    const passed = await cli('test', dir);
    expect(passed.exitCode, passed.stdout + passed.stderr).toBe(0);
    // A change in the helper's data file is a change in the plugin: the case sees it.
    await writeFile(join(dir, 'prompts', 'summary.txt'), 'Summarise briefly:\n');
    const failed = await cli('test', dir);
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toContain('REPLAY_MISS');
    await writeFile(join(home, 'settings.json'), JSON.stringify({ ollama: { host: fake.url } }));
  });

  it('refuses --layout multi with a starter, an unknown starter and an unknown layout as usage errors (exit 2)', async () => {
    const mixed = await cli('init', join(home, 'mixed'), '--layout', 'multi', '--template', 'simple');
    expect(mixed.exitCode).toBe(2);
    expect(mixed.stderr).toContain('--layout multi and --template do not mix');
    const original = await cli('init', join(home, 'original'), '--template', 'original-multi-step', '--layout', 'multi');
    expect([original.exitCode, original.stderr]).toEqual([2, expect.stringContaining('--layout multi and --template do not mix')]);
    const nope = await cli('init', join(home, 'nope'), '--template', 'nope');
    expect([nope.exitCode, nope.stderr]).toEqual([2, expect.stringContaining('There is no starter template "nope"')]);
    const unknown = await cli('init', join(home, 'unknown'), '--layout', 'many');
    expect(unknown.stderr).toMatch(/Allowed choices are single, multi/);
  });

  it("sends the folder's modules and data only: not plugin.json, tests/, hidden files or __pycache__", async () => {
    const dir = await folder('listing', {
      'plugin.py': 'import platform_sdk\nplatform_sdk.send_output(sorted(platform_sdk._plugin_files))\n',
      'plugin.json': JSON.stringify({ name: 'listing', version: '0.1.0' }),
      'tests/case.json': '{}', '.env': 'SECRET=1', '.git/config': '', '__pycache__/helpers.cpython-312.pyc': '',
      'helpers.py': '', 'pkg/__init__.py': '', 'pkg/__pycache__/x.pyc': '', 'data/words.txt': 'a b',
    });
    const run = await cli('run', dir, '--json');
    expect(JSON.parse(run.stdout).output).toBe('["data/words.txt", "helpers.py", "pkg/__init__.py"]');
  });

  it("names the helper's file and line when it fails", async () => {
    const dir = await folder('failing', { 'plugin.py': 'import helpers\nhelpers.go()\n', 'helpers.py': 'def go():\n    return 1 / 0\n' });
    const run = await cli('run', dir);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('File "helpers.py", line 2, in go');
    expect(run.stderr).toContain('error PLUGIN_ERROR: ZeroDivisionError: division by zero');
  });

  it('refuses a folder holding a file the sandbox cannot take, naming it', async () => {
    const dir = await folder('odd-name', { 'plugin.py': 'pass\n', 'notes copy.txt': 'x' });
    const run = await cli('run', dir);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`error INVALID_PLUGIN_FILES: ${join(dir, 'notes copy.txt')}: each part of the path is`);
  });
});
