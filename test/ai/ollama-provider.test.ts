import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { normalizeHost, resolveOllamaConnection, type OllamaConnection } from '../../src/ai/ollama-connection.ts';
import { OllamaProvider } from '../../src/ai/ollama-provider.ts';
import { settingsSchema } from '../../src/library/settings.ts';
import { WasmForgeError } from '../../src/shared/errors.ts';
import { FakeOllama } from '../fake-ollama/server.ts';
import { closedPort, failureOf } from './helpers.ts';

let fake: FakeOllama;
let provider: OllamaProvider;
const signal = () => new AbortController().signal;

beforeAll(async () => {
  fake = await FakeOllama.start();
  provider = new OllamaProvider(connectionTo(fake.url));
});
afterEach(() => {
  fake.faults = {};
  fake.requests.length = 0;
});
afterAll(() => fake.close());

function connectionTo(host: string, headers: Record<string, string> = {}): OllamaConnection {
  return { host, headers, source: 'settings' };
}



describe('connection', () => {
  it('takes the host from settings, then OLLAMA_HOST, then the local default', () => {
    const withHost = settingsSchema.parse({ ollama: { host: 'gpu-box:8080', headers: { Authorization: 'Bearer t' } } });
    expect(resolveOllamaConnection(withHost, {})).toEqual({ host: 'http://gpu-box:8080', headers: { Authorization: 'Bearer t' }, source: 'settings' });
    expect(resolveOllamaConnection(settingsSchema.parse({}), { OLLAMA_HOST: '0.0.0.0' }).host).toBe('http://127.0.0.1:11434');
    expect(resolveOllamaConnection(undefined, {})).toMatchObject({ host: 'http://127.0.0.1:11434', source: 'default' });
  });

  it('normalizes the host forms the ollama CLI accepts', () => {
    expect(normalizeHost(':9999')).toBe('http://127.0.0.1:9999');
    expect(normalizeHost('https://ollama.example.com/')).toBe('https://ollama.example.com');
    expect(normalizeHost('https://proxy.example.com/ollama')).toBe('https://proxy.example.com/ollama');
  });
});

describe('OllamaProvider against the fake server', () => {
  it('lists installed models', async () => {
    expect(await provider.listInstalledModels(signal())).toContain('qwen2.5:1.5b');
  });

  it('streams a prompt answer token by token and reports Ollama eval counts', async () => {
    const tokens: string[] = [];
    const result = await provider.generate({ model: 'qwen2.5:1.5b', prompt: 'hello there' }, { signal: signal(), onToken: (t) => tokens.push(t) });
    expect(result.text).toBe('Answer from qwen2.5:1.5b: hello there');
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe(result.text);
    expect(result).toMatchObject({ promptTokens: 2, responseTokens: tokens.length, doneReason: 'stop' });
  });

  it('maps system, temperature, max_tokens and json to Ollama fields', async () => {
    const result = await provider.generate(
      { model: 'gemma2:2b', prompt: 'list', system: 'be brief', temperature: 0.2, maxTokens: 50, json: true },
      { signal: signal() },
    );
    expect(JSON.parse(result.text)).toEqual({ model: 'gemma2:2b', echo: 'list' });
    expect(fake.requests.at(-1)).toMatchObject({
      path: '/api/generate',
      body: { model: 'gemma2:2b', prompt: 'list', system: 'be brief', format: 'json', stream: true, options: { temperature: 0.2, num_predict: 50 } },
    });
  });

  it('stops at num_predict tokens with done_reason length', async () => {
    const result = await provider.generate({ model: 'qwen2.5:1.5b', prompt: 'one two three four five', maxTokens: 2 }, { signal: signal() });
    expect(result).toMatchObject({ text: 'Answer from', responseTokens: 2, doneReason: 'length' });
  });

  it('uses /api/chat for messages, with the system message first and images on the last user message', async () => {
    const image = Buffer.from('fake-png-bytes').toString('base64');
    const result = await provider.generate({
      model: 'llava:latest',
      system: 'you see images',
      messages: [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'what is this?' }],
      images: [image],
    }, { signal: signal() });
    expect(result.text).toBe('Answer from llava:latest: what is this?');
    const body = fake.requests.at(-1)?.body as { messages: Array<{ role: string; images?: string[] }> };
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(body.messages[3]?.images).toEqual([image]);
  });

  it('never reads a host file named by an "image" string', async () => {
    await provider.generate({ model: 'llava:latest', prompt: 'x', images: ['/etc/passwd'] }, { signal: signal() });
    const sent = (fake.requests.at(-1)?.body as { images: string[] }).images[0]!;
    expect(Buffer.from(sent, 'base64').toString('utf8')).not.toContain('root:');
  });

  it('embeds text', async () => {
    const result = await provider.embed({ model: 'nomic-embed-text:latest', input: ['a', 'b'] }, { signal: signal() });
    expect(result.embeddings).toHaveLength(2);
    expect(result.embeddings[0]).toHaveLength(8);
  });

  it('sends the configured extra headers (e.g. a bearer token for a proxy)', async () => {
    const guarded = await FakeOllama.start({ requireHeaders: { Authorization: 'Bearer secret' } });
    try {
      const withToken = new OllamaProvider(connectionTo(guarded.url, { Authorization: 'Bearer secret' }));
      expect(await withToken.listInstalledModels()).toContain('mistral:latest');
      const error = await failureOf(new OllamaProvider(connectionTo(guarded.url)).listInstalledModels());
      expect(error.code).toBe('AI_UNAVAILABLE');
      expect(error.message).toContain('401');
      expect(error.hint).toContain('headers');
    } finally {
      await guarded.close();
    }
  });
});

describe('OllamaProvider error paths', () => {
  const ask = (model = 'qwen2.5:1.5b', abort = signal()) => provider.generate({ model, prompt: 'a b c d' }, { signal: abort });

  it('a model Ollama does not have is MODEL_NOT_INSTALLED with a pull hint', async () => {
    const error = await failureOf(ask('phi3:mini'));
    expect(error.code).toBe('MODEL_NOT_INSTALLED');
    expect(error.hint).toBe('Pull it on the Models screen, or with `wasmforge models pull phi3:mini`');
  });

  it('refused connection is AI_UNAVAILABLE naming what was tried', async () => {
    const port = await closedPort();
    const error = await failureOf(new OllamaProvider(connectionTo(`http://127.0.0.1:${port}`)).generate({ model: 'm', prompt: 'p' }, { signal: signal() }));
    expect(error.code).toBe('AI_UNAVAILABLE');
    expect(error.message).toContain('connection refused');
    expect(error.message).toContain(`POST /api/generate at http://127.0.0.1:${port}`);
  });

  it('an unknown host name is a DNS failure', async () => {
    const error = await failureOf(new OllamaProvider(connectionTo('http://no-such-host.invalid:11434')).listInstalledModels());
    expect(error.code).toBe('AI_UNAVAILABLE');
    expect(error.message).toMatch(/DNS/);
  });

  it('speaking HTTPS to a plain HTTP server is a TLS failure', async () => {
    const error = await failureOf(new OllamaProvider(connectionTo(fake.url.replace('http:', 'https:'))).listInstalledModels());
    expect(error.message).toMatch(/TLS/);
  });

  it('HTTP 500 is AI_ERROR with Ollama\'s own message, 503 is AI_UNAVAILABLE', async () => {
    fake.faults.failStatus = { status: 500, message: 'llama runner process has terminated', count: 1 };
    const error = await failureOf(ask());
    expect(error.code).toBe('AI_ERROR');
    expect(error.message).toContain('llama runner process has terminated');
    fake.faults.failStatus = { status: 503, message: 'server busy, please try again', count: 1 };
    expect((await failureOf(ask())).code).toBe('AI_UNAVAILABLE');
  });

  it('a dropped connection mid-answer is AI_ERROR', async () => {
    fake.faults.disconnectAfterTokens = 2;
    const error = await failureOf(ask());
    expect(error.code).toBe('AI_ERROR');
    expect(error.message).toContain('middle of the answer');
  });

  it('an error line mid-stream is AI_ERROR carrying it', async () => {
    fake.faults.errorAfterTokens = { tokens: 1, message: 'CUDA error: out of memory' };
    const error = await failureOf(ask());
    expect(error.code).toBe('AI_ERROR');
    expect(error.message).toContain('CUDA error: out of memory');
  });

  it('garbage is AI_ERROR, and nothing from it reaches the console', async () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    fake.faults.garbage = true;
    expect((await failureOf(ask())).code).toBe('AI_ERROR');
    expect((await failureOf(provider.listInstalledModels())).code).toBe('AI_ERROR');
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('a server that is not Ollama is AI_UNAVAILABLE', async () => {
    fake.faults.notOllama = true;
    const error = await failureOf(ask());
    expect(error.code).toBe('AI_UNAVAILABLE');
    expect(error.message).toContain('does not look like an Ollama server');
  });

  it('aborting the signal ends the HTTP request and answers CANCELLED', async () => {
    fake.faults.hang = true;
    const controller = new AbortController();
    const pending = ask('qwen2.5:1.5b', controller.signal);
    await vi.waitFor(() => expect(fake.inferenceRequests()).toHaveLength(1));
    controller.abort();
    expect((await failureOf(pending)).code).toBe('CANCELLED');
    await vi.waitFor(() => expect(fake.inferenceRequests().map((r) => r.aborted)).toEqual([true]));
  });

  it('an abort reason that is a typed error is passed on as it is', async () => {
    fake.faults.hang = true;
    const controller = new AbortController();
    const pending = ask('qwen2.5:1.5b', controller.signal);
    await vi.waitFor(() => expect(fake.inferenceRequests()).toHaveLength(1));
    controller.abort(new WasmForgeError('AI_UNAVAILABLE', 'no answer within 1 s'));
    expect((await failureOf(pending)).message).toBe('no answer within 1 s');
  });
});
