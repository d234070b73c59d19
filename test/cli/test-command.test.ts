import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOllama } from '../fake-ollama/server.ts';
import { closedPort } from '../ai/helpers.ts';

// The real CLI: a run kept as a test case (--save-test), then run offline by `wasmforge test`, and
// its expectation refreshed by --update once the plugin changed.
let fake: FakeOllama;
let home: string;
let plugin: string;

const code = (suffix: string) => `from platform_sdk import call_ai, get_input, send_output\nsend_output(call_ai("qwen2.5:1.5b", "Summarize: " + get_input()) + "${suffix}")\n`;

beforeAll(async () => {
  fake = await FakeOllama.start({ models: [{ name: 'qwen2.5:1.5b' }] });
  home = await mkdtemp(join(tmpdir(), 'wf-cli-tests-'));
  plugin = join(home, 'summary');
  await mkdir(plugin);
  await writeFile(join(plugin, 'plugin.py'), code(''));
  await writeFile(join(plugin, 'plugin.json'), JSON.stringify({ name: 'summary', version: '0.1.0', models: ['qwen2.5:1.5b'] }));
});
afterAll(() => fake.close());

function cli(...args: string[]) {
  return execa('node', ['bin/wasmforge.js', ...args], { env: { WASMFORGE_HOME: home }, reject: false, timeout: 90_000 });
}

async function ollamaAt(host: string): Promise<void> {
  await writeFile(join(home, 'settings.json'), JSON.stringify({ ollama: { host } }));
}

describe('wasmforge run --save-test, wasmforge test --update', () => {
  it('keeps a run as a case that then passes offline; a changed plugin shows the diff; --update refreshes it', async () => {
    await ollamaAt(fake.url);
    const saved = await cli('run', plugin, '--input', 'the report', '--save-test', 'Short report');
    expect(saved.exitCode).toBe(0);
    expect(saved.stderr).toContain(`saved test case ${join(plugin, 'tests', 'short-report.json')}`);
    const testCase = JSON.parse(await readFile(join(plugin, 'tests', 'short-report.json'), 'utf8'));
    expect(testCase).toMatchObject({
      name: 'Short report', input: 'the report',
      ai: [{ model: 'qwen2.5:1.5b', prompt: 'Summarize: the report', response: 'Answer from qwen2.5:1.5b: Summarize: the report' }],
      expect: { output: 'Answer from qwen2.5:1.5b: Summarize: the report' },
    });
    expect(testCase, 'the plugin never called list_models()').not.toHaveProperty('models');
    const again = await cli('run', plugin, '--input', 'x', '--save-test', 'Short report');
    expect(again.stderr).toContain('error ALREADY_EXISTS');

    // No Ollama from here on: the cases answer from what they recorded.
    await ollamaAt(`http://127.0.0.1:${await closedPort()}`);
    const passing = await cli('test', plugin);
    expect(passing.stdout).toMatch(/✓ Short report/);
    expect(passing.exitCode).toBe(0);
    // Times to a tenth of a millisecond, as a run's durationMs.
    const json = await cli('test', plugin, '--json');
    expect((JSON.parse(json.stdout) as Array<{ durationMs: number }>).map((r) => String(r.durationMs))).toEqual([expect.stringMatching(/^\d+(\.\d)?$/)]);

    await writeFile(join(plugin, 'plugin.py'), code('!'));
    const failing = await cli('test', plugin);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain('- Answer from qwen2.5:1.5b: Summarize: the report\n');
    expect(failing.stdout).toContain('+ Answer from qwen2.5:1.5b: Summarize: the report!\n');

    const updated = await cli('test', plugin, '--update');
    expect(updated.exitCode).toBe(0);
    expect(updated.stdout).toContain('updated 1 case\n  short-report.json');
    expect(JSON.parse(await readFile(join(plugin, 'tests', 'short-report.json'), 'utf8')).expect).toEqual({ output: 'Answer from qwen2.5:1.5b: Summarize: the report!' });
    expect((await cli('test', plugin)).exitCode).toBe(0);
  });

  it('--update refuses a case whose run ended in a replay miss: names it, leaves the file, exits 1', async () => {
    await ollamaAt(`http://127.0.0.1:${await closedPort()}`);
    const dir = join(home, 'missing');
    await mkdir(join(dir, 'tests'), { recursive: true });
    await writeFile(join(dir, 'plugin.py'), code(''));
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name: 'missing', version: '0.1.0', models: ['qwen2.5:1.5b'] }));
    const text = JSON.stringify({ input: 'May', ai: [{ model: 'qwen2.5:1.5b', prompt: 'Summarize: April', response: 'r' }], expect: { output: 'r' } });
    await writeFile(join(dir, 'tests', 'stale.json'), text);
    const updated = await cli('test', dir, '--update');
    expect(updated.exitCode).toBe(1);
    expect(updated.stdout).toContain('✗ stale');
    expect(updated.stdout).toContain('not updated: REPLAY_MISS');
    expect(updated.stdout).toContain('updated 0 cases');
    expect(await readFile(join(dir, 'tests', 'stale.json'), 'utf8')).toBe(text);
  });

  it('--save-test keeps no run that failed for want of Ollama or of a recorded answer: exit 1, says why and what to do, writes nothing', async () => {
    const dir = join(home, 'unsaved');
    await mkdir(dir);
    await writeFile(join(dir, 'plugin.py'), code(''));
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name: 'unsaved', version: '0.1.0', models: ['qwen2.5:1.5b'] }));

    await ollamaAt(`http://127.0.0.1:${await closedPort()}`);
    const down = await cli('run', dir, '--input', 'x', '--save-test', 'ai case');
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toContain('error AI_UNAVAILABLE');
    expect(down.stderr).toContain('error BAD_INPUT: Test case "ai case" not saved: the run ended in AI_UNAVAILABLE');
    expect(down.stderr).toContain('hint: Start Ollama');
    // Both hints (the run's, the refusal's) write the command one way: in backticks, as printed everywhere.
    const hints = down.stderr.split('\n').filter((line) => line.startsWith('hint: Start Ollama'));
    expect(hints).toHaveLength(2);
    for (const hint of hints) expect(hint).toContain('(`ollama serve`)');
    expect(down.stderr).not.toContain('saved test case');
    expect(existsSync(join(dir, 'tests'))).toBe(false);

    // A recording that does not answer this input: the same refusal, for REPLAY_MISS.
    await ollamaAt(fake.url);
    const recording = join(home, 'april.json');
    expect((await cli('run', dir, '--input', 'April', '--record', recording)).exitCode).toBe(0);
    const miss = await cli('run', dir, '--input', 'May', '--replay', recording, '--save-test', 'may');
    expect(miss.exitCode).toBe(1);
    expect(miss.stderr).toContain('error BAD_INPUT: Test case "may" not saved: the run ended in REPLAY_MISS');
    expect(existsSync(join(dir, 'tests'))).toBe(false);
  });

  it('--save-test keeps the installed models when the plugin listed them, and the case then passes offline', async () => {
    const dir = join(home, 'lister');
    await mkdir(dir);
    await writeFile(join(dir, 'plugin.py'), 'from platform_sdk import list_models, send_output\nsend_output(",".join(list_models()))\n');
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name: 'lister', version: '0.1.0', models: ['qwen2.5:1.5b'] }));
    await ollamaAt(fake.url);
    expect((await cli('run', dir, '--input', 'x', '--save-test', 'models')).exitCode).toBe(0);
    const testCase = JSON.parse(await readFile(join(dir, 'tests', 'models.json'), 'utf8'));
    expect(testCase).toMatchObject({ models: ['qwen2.5:1.5b'], expect: { output: 'qwen2.5:1.5b' } });
    await ollamaAt(`http://127.0.0.1:${await closedPort()}`);
    const offline = await cli('test', dir);
    expect(offline.stdout).toMatch(/✓ models/);
    expect(offline.exitCode).toBe(0);
  });

  it('--save-test with a name already taken is refused before the plugin runs: nothing printed, the case kept', async () => {
    const dir = join(home, 'taken');
    await mkdir(join(dir, 'tests'), { recursive: true });
    await writeFile(join(dir, 'plugin.py'), 'from platform_sdk import get_input, send_output\nprint("the plugin ran")\nsend_output(get_input())\n');
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name: 'taken', version: '0.1.0', models: [] }));
    await writeFile(join(dir, 'tests', 'first-case.json'), '{"input": "a", "ai": [], "expect": {"output": "a"}}\n');
    const again = await cli('run', dir, '--input', 'b', '--save-test', 'First case');
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`error ALREADY_EXISTS: ${join(dir, 'tests', 'first-case.json')} already exists`);
    expect(again.stderr).toContain('hint: Choose another name with --save-test');
    expect(again.stderr).not.toContain('the plugin ran');
    expect(again.stdout).toBe('');
    expect(await readFile(join(dir, 'tests', 'first-case.json'), 'utf8')).toBe('{"input": "a", "ai": [], "expect": {"output": "a"}}\n');
  });

  it('--save-test needs a plugin folder; test --help documents the case format', async () => {
    const lone = await cli('run', join(plugin, 'plugin.py'), '--save-test', 'x');
    expect(lone.exitCode).toBe(2);
    expect(lone.stderr).toContain('--save-test needs a plugin folder');
    const help = await cli('test', '--help');
    expect(help.stdout).toContain('"expect": { "output": "A report." }');
    expect(help.stdout).toContain('sdk/test-case.schema.json');
  });
});
