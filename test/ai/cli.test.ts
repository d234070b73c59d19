import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOllama } from '../fake-ollama/server.ts';
import { closedPort } from './helpers.ts';

// The real CLI (bin/wasmforge.js) in its own data folder, talking to the fake Ollama.
let fake: FakeOllama;
let home: string;
let plugin: string;

beforeAll(async () => {
  fake = await FakeOllama.start({
    models: [{ name: 'qwen2.5:1.5b', parameterSize: '1.5B', size: 986_061_892 }, { name: 'gemma2:2b' }],
    pullable: [{ name: 'llama3.2:latest', size: 2_019_393_189 }, { name: 'phi3:mini', size: 2_176_178_913 }],
  });
  home = await mkdtemp(join(tmpdir(), 'wf-cli-'));
  await useOllamaAt(fake.url);
  plugin = join(home, 'summary');
  await mkdir(join(plugin, 'tests'), { recursive: true });
  await writeFile(join(plugin, 'plugin.py'), 'from platform_sdk import call_ai, get_input, send_output\nsend_output(call_ai("qwen2.5:1.5b", "Summarize: " + get_input()))\n');
});
afterAll(() => fake.close());

async function useOllamaAt(host: string): Promise<void> {
  await writeFile(join(home, 'settings.json'), JSON.stringify({ ollama: { host } }));
}

function cli(...args: string[]) {
  return execa('node', ['bin/wasmforge.js', ...args], { env: { WASMFORGE_HOME: home }, reject: false, timeout: 60_000 });
}

describe('wasmforge models', () => {
  it('shows approved, installed and loaded models', async () => {
    const table = await cli('models');
    expect(table.exitCode).toBe(0);
    expect(table.stdout).toMatch(/qwen2\.5:1\.5b\s+yes\s+yes\s+-\s+940\.4 MiB/); // 986.1 MB, in the app's binary units
    expect(table.stdout).toMatch(/mistral:latest\s+yes\s+-/);
    const rows = JSON.parse((await cli('models', '--json')).stdout) as Array<{ name: string; installed: boolean }>;
    expect(rows.find((row) => row.name === 'gemma2:2b')).toMatchObject({ installed: true });
  });

  it('still lists the approved models when Ollama is down, says why, and exits 1', async () => {
    await useOllamaAt(`http://127.0.0.1:${await closedPort()}`);
    try {
      const down = await cli('models');
      expect(down.exitCode).toBe(1);
      expect(down.stdout).toMatch(/qwen2\.5:1\.5b\s+yes\s+\?\s+\?/);
      expect(down.stdout).toMatch(/mistral:latest\s+yes\s+\?\s+\?/);
      expect(down.stderr).toMatch(/^error AI_UNAVAILABLE: Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+, so which models are installed is unknown: .*connection refused/im);
      const rows = JSON.parse((await cli('models', '--json')).stdout) as unknown[];
      expect(rows).toContainEqual(expect.objectContaining({ name: 'qwen2.5:1.5b', approved: true, installed: null }));
    } finally {
      await useOllamaAt(fake.url);
    }
  });

  it('pulls a model with progress, and says so when the library has no such model', async () => {
    const pulled = await cli('models', 'pull', 'llama3.2');
    expect(pulled.exitCode).toBe(0);
    expect(pulled.stdout).toContain('pulled llama3.2');
    expect(fake.catalog.find('llama3.2:latest')).toBeDefined();
    const missing = await cli('models', 'pull', 'nope:7b');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('error NOT_FOUND');
  });

  it('cancels a pull on Ctrl-C, says so, and exits 130 (as a shell expects of an interrupted command)', async () => {
    fake.faults.tokenLatencyMs = 60_000;
    try {
      const pull = () => fake.requests.find((r) => r.path === '/api/pull' && JSON.stringify(r.body).includes('phi3:mini'));
      const pulling = cli('models', 'pull', 'phi3:mini');
      await expect.poll(pull, { timeout: 30_000 }).toBeDefined();
      pulling.kill('SIGINT');
      const cancelled = await pulling;
      expect(cancelled.exitCode).toBe(130);
      expect(cancelled.stderr).toContain('error CANCELLED: the pull of phi3:mini was cancelled');
      await expect.poll(() => pull()?.aborted).toBe(true);
      expect(fake.catalog.find('phi3:mini')).toBeUndefined();
    } finally {
      fake.faults.tokenLatencyMs = 0;
    }
  });
});

describe('wasmforge doctor', () => {
  it('one line per check, with the fix when Ollama is down', async () => {
    const healthy = JSON.parse((await cli('doctor', '--json')).stdout) as Array<{ check: string; ok: boolean }>;
    expect(healthy.find((line) => line.check === 'ollama')).toMatchObject({ ok: true });
    await useOllamaAt(`http://127.0.0.1:${await closedPort()}`);
    try {
      const down = await cli('doctor');
      expect(down.exitCode).toBe(1);
      expect(down.stdout).toMatch(/✗ ollama\s+not reachable .*connection refused/);
      expect(down.stdout).toContain('fix: Start Ollama');
      expect(down.stdout).toMatch(/✓ engine\s+embedded: ready/);
    } finally {
      await useOllamaAt(fake.url);
    }
  });
});

describe('wasmforge run --record / --replay, and wasmforge test', () => {
  it('records a run, then replays it without Ollama; a call not recorded is REPLAY_MISS', async () => {
    const recording = join(home, 'calls.json');
    const recorded = await cli('run', plugin, '--input', 'the report', '--record', recording, '--stream');
    expect(recorded.exitCode).toBe(0);
    expect(recorded.stdout).toBe('Answer from qwen2.5:1.5b: Summarize: the report');
    expect(recorded.stderr).toContain('[ai #1 qwen2.5:1.5b] Answer from');
    expect(JSON.parse(await readFile(recording, 'utf8'))).toMatchObject({ calls: [{ request: { prompt: 'Summarize: the report' } }] });

    await useOllamaAt(`http://127.0.0.1:${await closedPort()}`);
    try {
      const replayed = JSON.parse((await cli('run', plugin, '--input', 'the report', '--replay', recording, '--json')).stdout) as { output: string; aiCalls: Array<{ replayed: boolean }> };
      expect(replayed.output).toBe('Answer from qwen2.5:1.5b: Summarize: the report');
      expect(replayed.aiCalls[0]?.replayed).toBe(true);
      const miss = await cli('run', plugin, '--input', 'another text', '--replay', recording);
      expect(miss.exitCode).toBe(1);
      expect(miss.stderr).toContain('error REPLAY_MISS');
      expect(miss.stderr).toContain('"Summarize: another text"');
    } finally {
      await useOllamaAt(fake.url);
    }
  });

  it('runs the test cases in the plugin folder and prints pass/fail per case', async () => {
    const answer = (input: string, response: string) => ({ model: 'qwen2.5:1.5b', prompt: `Summarize: ${input}`, response });
    await writeFile(join(plugin, 'tests', 'short.json'), JSON.stringify({ name: 'short text', input: 'abc', ai: [answer('abc', 'A.')], expect: { output: 'A.' } }));
    await writeFile(join(plugin, 'tests', 'wrong.json'), JSON.stringify({ name: 'wrong expectation', input: 'x', ai: [answer('x', 'X.')], expect: { contains: ['Y'] } }));
    await writeFile(join(plugin, 'tests', 'missing.json'), JSON.stringify({ name: 'no answer recorded', input: 'y', expect: { error: 'REPLAY_MISS' } }));
    const result = await cli('test', plugin);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/✓ no answer recorded/);
    expect(result.stdout).toMatch(/✓ short text/);
    expect(result.stdout).toMatch(/✗ wrong expectation[^\n]*\n\s+output does not contain "Y"/);
    expect(result.stdout).toContain('2 passed, 1 failed');
  });
});
