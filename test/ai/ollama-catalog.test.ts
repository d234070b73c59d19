import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OllamaCatalog, type PullProgress } from '../../src/ai/ollama-catalog.ts';
import type { OllamaConnection } from '../../src/ai/ollama-connection.ts';
import { checkOllamaHealth } from '../../src/ai/ollama-health.ts';
import { OllamaProvider } from '../../src/ai/ollama-provider.ts';
import { FakeOllama } from '../fake-ollama/server.ts';
import { closedPort, failureOf } from './helpers.ts';

let fake: FakeOllama;
let connection: OllamaConnection;
let catalog: OllamaCatalog;

beforeAll(async () => {
  fake = await FakeOllama.start({ pullable: [{ name: 'phi3:mini', size: 2_176_178_913, family: 'phi3', parameterSize: '3.8B' }] });
  connection = { host: fake.url, headers: {}, source: 'settings' };
  catalog = new OllamaCatalog(connection);
});
afterEach(() => {
  fake.faults = {};
});
afterAll(() => fake.close());


describe('catalog', () => {
  it('lists installed models with size, family, parameter size and quantization', async () => {
    const models = await catalog.installed();
    expect(models.find((m) => m.name === 'mistral:latest')).toMatchObject({
      sizeBytes: 4_113_301_824, family: 'llama', parameterSize: '7.2B', quantization: 'Q4_0',
    });
  });

  it('lists the models loaded now', async () => {
    await new OllamaProvider(connection).generate({ model: 'gemma2:2b', prompt: 'load it' }, { signal: new AbortController().signal });
    const loaded = await catalog.loaded();
    expect(loaded.map((m) => m.name)).toContain('gemma2:2b');
    expect(loaded[0]!.vramBytes).toBeGreaterThan(0);
  });

  it('pulls with streaming progress up to the whole size, then the model is installed', async () => {
    const progress: PullProgress[] = [];
    await catalog.pull('phi3:mini', { onProgress: (p) => progress.push(p) });
    expect(progress[0]?.status).toBe('pulling manifest');
    expect(progress.some((p) => p.status.startsWith('pulling ') && p.completedBytes > 0 && p.completedBytes < p.totalBytes)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ status: 'success', completedBytes: 2_176_178_913 + 567, totalBytes: 2_176_178_913 + 567 });
    expect(progress.map((p) => p.status)).toEqual(expect.arrayContaining(['verifying sha256 digest', 'writing manifest']));
    expect((await catalog.installed()).map((m) => m.name)).toContain('phi3:mini');
    await catalog.delete('phi3:mini');
    expect((await catalog.installed()).map((m) => m.name)).not.toContain('phi3:mini');
  });

  it('a pull can be cancelled, and its HTTP request ends', async () => {
    fake.faults.tokenLatencyMs = 50;
    const controller = new AbortController();
    const pulling = catalog.pull('phi3:mini', { signal: controller.signal, onProgress: (p) => p.completedBytes > 0 && controller.abort() });
    expect((await failureOf(pulling)).code).toBe('CANCELLED');
    await vi.waitFor(() => expect(fake.requests.filter((r) => r.path === '/api/pull').at(-1)?.aborted).toBe(true));
    expect((await catalog.installed()).map((m) => m.name)).not.toContain('phi3:mini');
  });

  it('pulling a name the library does not have is NOT_FOUND; so is deleting a model that is not there', async () => {
    expect((await failureOf(catalog.pull('no-such-model:7b'))).code).toBe('NOT_FOUND');
    expect((await failureOf(catalog.delete('no-such-model:7b'))).code).toBe('NOT_FOUND');
  });

  it('refuses names that are not model names before asking Ollama', async () => {
    expect((await failureOf(catalog.pull('../../etc'))).code).toBe('BAD_INPUT');
  });
});

describe('health check', () => {
  it('reports version and latency when Ollama answers', async () => {
    const health = await checkOllamaHealth(connection);
    expect(health).toMatchObject({ reachable: true, version: '0.12.6', host: fake.url, source: 'settings' });
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('says why not: refused, not an Ollama server, timeout, DNS, TLS', async () => {
    const refused = await checkOllamaHealth({ host: `http://127.0.0.1:${await closedPort()}`, headers: {}, source: 'default' });
    expect(refused).toMatchObject({ reachable: false, problem: 'refused' });
    expect(refused.hint).toContain('ollama serve');

    fake.faults.notOllama = true;
    expect(await checkOllamaHealth(connection)).toMatchObject({ reachable: false, problem: 'not-ollama' });
    fake.faults = { latencyMs: 2000 };
    expect(await checkOllamaHealth(connection, { timeoutMs: 100 })).toMatchObject({ reachable: false, problem: 'timeout' });
    fake.faults = {};

    expect(await checkOllamaHealth({ host: 'http://no-such-host.invalid:11434', headers: {}, source: 'OLLAMA_HOST' }))
      .toMatchObject({ reachable: false, problem: 'dns', hint: expect.stringContaining('OLLAMA_HOST') });
    expect(await checkOllamaHealth({ ...connection, host: fake.url.replace('http:', 'https:') })).toMatchObject({ problem: 'tls' });
  });

  it('a proxy that wants credentials is "unauthorized"', async () => {
    const guarded = await FakeOllama.start({ requireHeaders: { 'X-Api-Key': 'k' } });
    try {
      expect(await checkOllamaHealth({ host: guarded.url, headers: {}, source: 'settings' })).toMatchObject({ problem: 'unauthorized' });
      expect(await checkOllamaHealth({ host: guarded.url, headers: { 'X-Api-Key': 'k' }, source: 'settings' })).toMatchObject({ reachable: true });
    } finally {
      await guarded.close();
    }
  });
});
