import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeOllama } from '../../test/fake-ollama/server.ts';
import { saveSettings } from '../library/settings.ts';
import { startApiServer, type ApiServer } from '../server/server.ts';
import { createHttpClient } from '../shared/api/http-client.ts';
import type { RouteInput } from '../shared/api/types.ts';
import { DEFAULT_SETTINGS, type SettingsPatch } from '../shared/api/schemas/settings.ts';
import type { PartialLimits } from '../shared/limits.ts';
import { createAppApi, type AppApi } from './index.ts';

// Issue #10: one limits pipeline, end to end: the real sandbox (python.wasm), the real broker and
// the fake Ollama, behind the app as the CLI (in-process, the owner) and `serve` (HTTP) use it.
let home: string;
let fake: FakeOllama;
let owner: AppApi;
let served: AppApi;
let server: ApiServer;

const SDK = 'from platform_sdk import *\n';
const GiB = 1024 ** 3;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-limits-'));
  fake = await FakeOllama.start({ pullable: [{ name: 'phi3:mini', size: 2_000 }] });
  await saveSettings(home, { ...DEFAULT_SETTINGS, ollama: { ...DEFAULT_SETTINGS.ollama, host: fake.url } });
  const options = { home, ai: 'ollama' as const, sandbox: { warmPoolSize: 1 }, log: () => undefined, outboxRetryMs: 3_600_000 };
  owner = await createAppApi({ ...options, host: 'direct' });
  served = await createAppApi({ ...options, host: 'server' });
  server = await startApiServer({ dispatcher: served.dispatcher, port: 0 });
});
afterAll(async () => {
  await server?.close();
  await owner?.close();
  await served?.close();
  await fake?.close();
  await rm(home, { recursive: true, force: true });
});
beforeEach(() => {
  fake.requests.length = 0;
});

function settingsLimits(limits: PartialLimits): Promise<unknown> {
  const patch: SettingsPatch = { sandbox: { limits } };
  return owner.client.call('settings.update', patch);
}

async function run(app: 'owner' | 'http', code: string, extra: Partial<RouteInput<'runs.run'>> = {}) {
  const client = app === 'owner' ? owner.client : createHttpClient({ baseUrl: server.url, token: server.token });
  const record = await client.stream('runs.run', { code: SDK + code, remember: false, ...extra }, { onEvent: () => undefined });
  return record.result;
}

describe('a run\'s own limits: the owner may raise them, a token holder over HTTP may not', () => {
  it('over HTTP a run asking for 4 GiB of memory gets the settings\' 64 MiB (issue #9)', async () => {
    await settingsLimits({ memoryBytes: 64 * 2 ** 20 });
    const code = 'blocks = []\nfor i in range(20): blocks.append(bytearray(10**7))\nsend_output("allocated")';
    const capped = await run('http', code, { limits: { memoryBytes: 4 * GiB } });
    expect(capped.error?.code).toBe('MEMORY_LIMIT');
    // The local CLI's user owns the settings: the same request is theirs to make.
    expect(await run('owner', code, { limits: { memoryBytes: 4 * GiB } })).toMatchObject({ ok: true, output: 'allocated' });
  });

  it('over HTTP a run may still lower its limits', async () => {
    await settingsLimits({});
    const result = await run('http', 'send_output("x" * 100)', { limits: { outputBytes: 10 } });
    expect(result.error?.code).toBe('OUTPUT_LIMIT');
  });

  it('`run --timeout` (a wall time alone) raises the compute time too, so the plugin is not stopped by COMPUTE_LIMIT', async () => {
    await settingsLimits({ wallTimeMs: 1000, computeTimeMs: 1000 });
    const code = 'import time\nstart = time.time()\nwhile time.time() - start < 2: pass\nsend_output("computed")';
    // What `wasmforge run --timeout 6` sends.
    expect(await run('owner', code, { limits: { wallTimeMs: 6000 } })).toMatchObject({ ok: true, output: 'computed' });
  });
});

describe('the settings are read at every run, as app.info shows them', () => {
  it('a limit cleared in Settings is the default again at the next run, in a sandbox started with it set', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'wf-limits-cleared-'));
    await saveSettings(fresh, { ...DEFAULT_SETTINGS, sandbox: { ...DEFAULT_SETTINGS.sandbox, limits: { outputBytes: 10 } } });
    const app = await createAppApi({ home: fresh, host: 'direct', ai: 'test', sandbox: { warmPoolSize: 1 }, log: () => undefined, outboxRetryMs: 3_600_000 });
    try {
      const request = { code: SDK + 'send_output("x" * 100)', remember: false };
      expect((await app.client.stream('runs.run', request, { onEvent: () => undefined })).result.error?.code).toBe('OUTPUT_LIMIT');
      await app.client.call('settings.update', { sandbox: { limits: {} } });
      expect((await app.client.call('app.info', {})).limits.outputBytes).toBe(2 ** 20);
      expect((await app.client.stream('runs.run', request, { onEvent: () => undefined })).result).toMatchObject({ ok: true, output: 'x'.repeat(100) });
    } finally {
      await app.close();
      await rm(fresh, { recursive: true, force: true });
    }
  });

  it('an AI token budget raised past 100,000 in the settings is the budget', async () => {
    await settingsLimits({ aiTokens: 1_000_000, promptChars: 500_000 });
    expect((await owner.client.call('app.info', {})).limits.aiTokens).toBe(1_000_000);
    // 80,000 words of system prompt: the fake Ollama counts 80,001 prompt tokens per call.
    const code = 'big = "word " * 80000\nfor i in range(2): call_ai("qwen2.5:1.5b", "hi", system=big)\nsend_output("spent")';
    expect(await run('owner', code)).toMatchObject({ ok: true, output: 'spent' });
  });
});

describe('the AI backend outlives a run', () => {
  it('two runs in a row ask Ollama for its models once, and a changed host is used at once', async () => {
    // New Ollama settings (a header) make a new backend: its model list is not known yet.
    await owner.client.call('settings.update', { ollama: { headers: { 'x-run': 'cache' } } });
    const code = 'send_output(call_ai("qwen2.5:1.5b", "hi"))';
    expect((await run('owner', code)).ok).toBe(true);
    expect((await run('owner', code)).ok).toBe(true);
    expect(fake.requests.filter((request) => request.path === '/api/tags')).toHaveLength(1);
    await owner.client.call('settings.update', { ollama: { host: 'http://127.0.0.1:9', headers: {} } });
    expect((await run('owner', code)).error?.code).toBe('AI_UNAVAILABLE');
    await owner.client.call('settings.update', { ollama: { host: fake.url, headers: {} } });
  });

  it('a model pulled through the app is callable at the next run, not after the model list expires', async () => {
    await owner.client.call('models.approve', { name: 'phi3:mini', approved: true });
    const code = 'send_output(call_ai("phi3:mini", "hi"))';
    expect((await run('owner', code)).error?.code).toBe('MODEL_NOT_INSTALLED');
    await owner.client.stream('models.pull', { name: 'phi3:mini' }, { onEvent: () => undefined });
    expect(await run('owner', code)).toMatchObject({ ok: true, output: 'Answer from phi3:mini: hi' });
  });
});
