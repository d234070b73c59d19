import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AiBroker, type AiBrokerOptions } from '../../src/ai/broker.ts';
import { OllamaProvider } from '../../src/ai/ollama-provider.ts';
import { createAiBackend } from '../../src/app/ai-backend.ts';
import { settingsSchema, type Settings } from '../../src/library/settings.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import type { ErrorCode, ErrorInfo } from '../../src/shared/errors.ts';
import { FakeOllama, type FakeOllamaFaults } from '../fake-ollama/server.ts';
import { closedPort } from './helpers.ts';

// Every way Ollama can fail, seen from a plugin in the real sandbox (python.wasm) calling through
// the real `ollama` client to the fake server: the class the plugin catches, the code the run ends
// with, and a message that says what was tried. A generous wall time turns a hang into TIMEOUT.
let fake: FakeOllama;
let runtime: SandboxRuntime;

const MODELS = ['gemma2:2b', 'nomic-embed-text:latest'];
const WALL_TIME_MS = 20_000;

beforeAll(async () => {
  fake = await FakeOllama.start({ models: [{ name: 'gemma2:2b' }, { name: 'nomic-embed-text:latest', capabilities: ['embedding'] }] });
  runtime = new SandboxRuntime({ warmPoolSize: 1 });
});
afterEach(() => {
  fake.faults = {};
  fake.requests.length = 0;
});
afterAll(async () => {
  await runtime.close();
  await fake.close();
});

function broker(options: Partial<AiBrokerOptions> = {}, host = fake.url, headers: Record<string, string> = {}): AiBroker {
  return new AiBroker({ provider: new OllamaProvider({ host, headers, source: 'settings' }), allowList: MODELS, ...options });
}

/** A broker that has already seen the model list, so that a fault hits the call itself. */
async function listedBroker(options: Partial<AiBrokerOptions> = {}): Promise<AiBroker> {
  const ready = broker(options);
  await ready.installedModels();
  return ready;
}

interface Caught {
  class: string;
  code: string;
  message: string;
}

/** Runs `call` in a plugin twice: once caught (what the plugin sees), once not (what the run ends with). */
async function outcome(call: string, ai: AiBroker): Promise<{ caught: Caught; run: ErrorInfo | null }> {
  const limits = { wallTimeMs: WALL_TIME_MS };
  const report = 'except AIError as e:\n    send_output({"class": type(e).__name__, "code": e.code, "message": str(e)})';
  const caught = await runtime.run({ code: `from platform_sdk import *\ntry:\n    ${call}\n${report}`, broker: ai, limits });
  expect(caught.error).toBeNull();
  const uncaught = await runtime.run({ code: `from platform_sdk import *\n${call}`, broker: ai, limits });
  return { caught: JSON.parse(caught.output) as Caught, run: uncaught.error };
}

function expectFailure(result: { caught: Caught; run: ErrorInfo | null }, errorClass: string, code: ErrorCode, ...says: string[]): void {
  expect(result.caught).toMatchObject({ class: errorClass, code });
  expect(result.run?.code).toBe(code);
  for (const text of says) {
    expect(result.caught.message).toContain(text);
    expect(result.run?.message).toContain(text);
  }
}

describe('Ollama failing while it answers', () => {
  const cases: Array<[string, FakeOllamaFaults, string, string, ErrorCode, string[]]> = [
    ['an error line in the middle of the stream', { errorAfterTokens: { tokens: 2, message: 'CUDA error: out of memory' } },
      'call_ai("gemma2:2b", "a b c d")', 'AIError', 'AI_ERROR', ['CUDA error: out of memory', 'POST /api/generate']],
    ['an error line in the middle of a chat', { errorAfterTokens: { tokens: 1, message: 'llama runner process has terminated' } },
      'call_ai("gemma2:2b", messages=[{"role": "user", "content": "a b c"}])', 'AIError', 'AI_ERROR', ['llama runner process has terminated', 'POST /api/chat']],
    ['lines that are not JSON', { garbage: true },
      'call_ai("gemma2:2b", "a b c d")', 'AIError', 'AI_ERROR', ['not JSON', 'POST /api/generate']],
    ['HTTP 500', { failStatus: { status: 500, message: 'llama runner process has terminated: exit status 2' } },
      'call_ai("gemma2:2b", "a b c d")', 'AIError', 'AI_ERROR', ['HTTP 500', 'exit status 2', 'POST /api/generate']],
    ['HTTP 503', { failStatus: { status: 503, message: 'server busy, please try again.  maximum pending requests exceeded' } },
      'call_ai("gemma2:2b", "a b c d")', 'AIUnavailableError', 'AI_UNAVAILABLE', ['HTTP 503', 'server busy', 'POST /api/generate']],
    ['HTTP 500 from embeddings', { failStatus: { status: 500, message: 'failed to load model' } },
      'embed("nomic-embed-text", "hi")', 'AIError', 'AI_ERROR', ['failed to load model', 'POST /api/embed']],
    ['a connection dropped mid-answer', { disconnectAfterTokens: 2 },
      'call_ai("gemma2:2b", "a b c d")', 'AIError', 'AI_ERROR', ['stopped in the middle of the answer', 'POST /api/generate']],
    ['a connection closed before any answer', { disconnectAfterTokens: 0 },
      'call_ai("gemma2:2b", "a b c d")', 'AIUnavailableError', 'AI_UNAVAILABLE', ['closed the connection without answering', 'POST /api/generate']],
  ];
  it.each(cases)('%s', async (_, faults, call, errorClass, code, says) => {
    const ai = await listedBroker();
    fake.faults = faults;
    expectFailure(await outcome(call, ai), errorClass, code, ...says, `at ${fake.url}`);
  });

  it('a stream that breaks off: the plugin has read the first pieces, then catches the error', async () => {
    const ai = await listedBroker();
    fake.faults = { errorAfterTokens: { tokens: 3, message: 'CUDA error: out of memory' } };
    const code = 'got = []\ntry:\n    for piece in call_ai("gemma2:2b", "a b c d", stream=True):\n        got.append(piece)\n'
      + 'except AIError as e:\n    send_output({"got": "".join(got), "class": type(e).__name__, "message": str(e)})';
    const result = await runtime.run({ code: `from platform_sdk import *\n${code}`, broker: ai, limits: { wallTimeMs: WALL_TIME_MS } });
    expect(JSON.parse(result.output)).toEqual({
      got: 'Answer from gemma2:2b:', class: 'AIError', message: expect.stringContaining(`CUDA error: out of memory (tried POST /api/generate at ${fake.url}`),
    });
    expect(result.aiCalls[0]).toMatchObject({ ok: false, errorCode: 'AI_ERROR' });
  });

  it('call_ai_many puts each failure, typed, in its place', async () => {
    const ai = await listedBroker({ concurrency: 1 });
    fake.faults = { failStatus: { status: 503, message: 'server busy', count: 1 } };
    const code = 'r = call_ai_many([("gemma2:2b", "a"), ("gemma2:2b", "b")], return_exceptions=True)\n'
      + 'send_output([type(x).__name__ if isinstance(x, AIError) else x for x in r])';
    const result = await runtime.run({ code: `from platform_sdk import *\n${code}`, broker: ai });
    expect(JSON.parse(result.output)).toEqual(['AIUnavailableError', 'Answer from gemma2:2b: b']);
  });
});

describe('Ollama too slow', () => {
  it('no answer within the per-call timeout is AIUnavailableError, and the request is aborted', async () => {
    const ai = await listedBroker({ callTimeoutMs: 300 });
    fake.faults = { latencyMs: 30_000 };
    expectFailure(await outcome('call_ai("gemma2:2b", "hi")', ai), 'AIUnavailableError', 'AI_UNAVAILABLE', 'within 0.3 s', `Ollama at ${fake.url}`);
    await vi.waitFor(() => expect(fake.inferenceRequests().map((r) => r.aborted)).toEqual([true, true]));
  });

  it('tokens that trickle in past the per-call timeout', async () => {
    const ai = await listedBroker({ callTimeoutMs: 500 });
    fake.faults = { tokenLatencyMs: 200 };
    const result = await outcome('call_ai("gemma2:2b", "one two three four five six")', ai);
    expectFailure(result, 'AIUnavailableError', 'AI_UNAVAILABLE', 'did not finish its answer within 0.5 s', `Ollama at ${fake.url}`);
  });

  it('the per-call timeout covers waiting for the model list too', async () => {
    fake.faults = { latencyMs: 30_000 };
    const result = await outcome('call_ai("gemma2:2b", "hi")', broker({ callTimeoutMs: 300 }));
    expectFailure(result, 'AIUnavailableError', 'AI_UNAVAILABLE', 'within 0.3 s', `Ollama at ${fake.url}`);
    expect(fake.inferenceRequests()).toHaveLength(0);
  });

  it('list_models() gives up at the per-call timeout too', async () => {
    fake.faults = { latencyMs: 30_000 };
    const { caught } = await outcome('list_models()', broker({ callTimeoutMs: 300 }));
    expect(caught.message).toBe(`Ollama did not list its models within 0.3 s (waited for Ollama at ${fake.url})`);
  });
});

describe('Ollama unreachable or refusing', () => {
  it('Ollama down: call_ai raises AIUnavailableError naming the host', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    expectFailure(await outcome('call_ai("gemma2:2b", "hi")', broker({}, host)), 'AIUnavailableError', 'AI_UNAVAILABLE', 'connection refused', `GET /api/tags at ${host}`);
  });

  it('Ollama down: list_models() fails without hanging, naming the host', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    const { caught } = await outcome('list_models()', broker({}, host));
    expect(caught.message).toContain(`connection refused: nothing listens there (is Ollama running?) (tried GET /api/tags at ${host})`);
  });

  it('Ollama down: list_models() raises AIUnavailableError and the run ends AI_UNAVAILABLE', async () => {
    const host = `http://127.0.0.1:${await closedPort()}`;
    expectFailure(await outcome('list_models()', broker({}, host)), 'AIUnavailableError', 'AI_UNAVAILABLE', host);
  });

  it('a server that is not Ollama is AIUnavailableError saying so', async () => {
    fake.faults = { notOllama: true };
    expectFailure(await outcome('call_ai("gemma2:2b", "hi")', broker()), 'AIUnavailableError', 'AI_UNAVAILABLE', 'does not look like an Ollama server', 'HTTP 404');
  });

  it('a model list that is not JSON is AI_ERROR for list_models() too', async () => {
    fake.faults = { garbage: true };
    const { caught } = await outcome('list_models()', broker());
    expect(caught).toMatchObject({ class: 'AIError', message: expect.stringContaining(`not valid JSON; is this an Ollama server? (tried GET /api/tags at ${fake.url})`) });
  });

  it('fetch\'s blocked port names the port instead of "a network error"', async () => {
    const result = await outcome('call_ai("gemma2:2b", "hi")', broker({}, 'http://127.0.0.1:9'));
    expectFailure(result, 'AIUnavailableError', 'AI_UNAVAILABLE', 'port 9 is one that fetch never connects to', 'Ollama listens on 11434');
  });
});

describe('a proxy in front of Ollama that wants credentials (the headers setting)', () => {
  let guarded: FakeOllama;
  beforeAll(async () => {
    guarded = await FakeOllama.start({ models: [{ name: 'gemma2:2b' }], requireHeaders: { Authorization: 'Bearer s3cret' } });
  });
  afterAll(() => guarded.close());

  const settings = (ollama: object) => settingsSchema.parse({ ollama: { allowList: ['gemma2:2b'], ...ollama } });
  // As the app builds a run's broker from the settings (src/app/context.ts).
  const brokerFor = (current: Settings) => new AiBroker({ provider: createAiBackend('ollama', current).provider, allowList: current.ollama.allowList });

  it('without them: AIUnavailableError saying HTTP 401 and where', async () => {
    const ai = brokerFor(settings({ host: guarded.url }));
    expectFailure(await outcome('call_ai("gemma2:2b", "hi")', ai), 'AIUnavailableError', 'AI_UNAVAILABLE', 'HTTP 401', `GET /api/tags at ${guarded.url}`);
  });

  it('with the header from settings, or as user:password in the host (sent as Basic), the call goes through', async () => {
    const ai = brokerFor(settings({ host: guarded.url, headers: { Authorization: 'Bearer s3cret' } }));
    const result = await runtime.run({ code: 'from platform_sdk import *\nsend_output(call_ai("gemma2:2b", "hi"))', broker: ai });
    expect(result.output).toBe('Answer from gemma2:2b: hi');

    const basic = await FakeOllama.start({ models: [{ name: 'gemma2:2b' }], requireHeaders: { Authorization: `Basic ${Buffer.from('ann:p@ss word').toString('base64')}` } });
    try {
      const viaHost = brokerFor(settings({ host: basic.url.replace('//', '//ann:p%40ss%20word@') }));
      const answered = await runtime.run({ code: 'from platform_sdk import *\nsend_output(call_ai("gemma2:2b", "hi"))', broker: viaHost });
      expect(answered.output).toBe('Answer from gemma2:2b: hi');
    } finally {
      await basic.close();
    }
  });
});
