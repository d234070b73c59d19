import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AiBroker, type AiBrokerOptions } from '../../src/ai/broker.ts';
import { OllamaProvider } from '../../src/ai/ollama-provider.ts';
import { SandboxRuntime, type RunRequest } from '../../src/sandbox/index.ts';
import type { RunEvent } from '../../src/shared/run.ts';
import { FakeOllama } from '../fake-ollama/server.ts';

// A plugin in the real sandbox (python.wasm) calling through the real `ollama` client to the fake server.
let fake: FakeOllama;
let runtime: SandboxRuntime;

const ALLOW = ['qwen2.5:1.5b', 'gemma2:2b', 'llama3.2:latest', 'llava:latest', 'nomic-embed-text:latest'];
const SDK = 'from platform_sdk import *\n';

beforeAll(async () => {
  fake = await FakeOllama.start({
    models: [
      { name: 'qwen2.5:1.5b' }, { name: 'gemma2:2b' }, { name: 'mistral:latest' },
      { name: 'llava:latest', capabilities: ['completion', 'vision'] }, { name: 'nomic-embed-text:latest', capabilities: ['embedding'] },
    ],
  });
  runtime = new SandboxRuntime({ warmPoolSize: 1, broker: broker() });
});
afterEach(() => {
  fake.faults = {};
  fake.requests.length = 0;
});
afterAll(async () => {
  await runtime.close();
  await fake.close();
});

function broker(options: Partial<AiBrokerOptions> = {}, host = fake.url): AiBroker {
  return new AiBroker({ provider: new OllamaProvider({ host, headers: {}, source: 'settings' }), allowList: ALLOW, ...options });
}

function run(code: string, request: Partial<RunRequest> = {}) {
  return runtime.run({ code: SDK + code, ...request });
}

describe('calls from a plugin', () => {
  it('runs a plugin written for the original unchanged, with the call in the result', async () => {
    const code = 'from platform_sdk import call_ai, get_input, send_output\nsend_output(call_ai("qwen2.5:1.5b", "Summarize: " + get_input()))';
    const result = await runtime.run({ code, input: 'a long text' });
    expect(result).toMatchObject({ ok: true, output: 'Answer from qwen2.5:1.5b: Summarize: a long text' });
    expect(result.aiCalls).toEqual([expect.objectContaining({
      model: 'qwen2.5:1.5b', ok: true, prompt: 'Summarize: a long text', response: result.output, promptTokens: 4, responseTokens: 7, replayed: false,
    })]);
  });

  it('list_models() is exactly what this plugin may call', async () => {
    const result = await run('send_output(list_models())', { manifestModels: ['gemma2:2b', 'mistral:latest', 'llama3.2'] });
    expect(JSON.parse(result.output)).toEqual(['gemma2:2b']);
  });

  it('maps system, temperature, max_tokens and json to Ollama', async () => {
    const code = 'import json as j\nsend_output(j.loads(call_ai("gemma2:2b", "list", system="terse", temperature=0, max_tokens=64, json=True)))';
    const result = await run(code);
    expect(JSON.parse(result.output)).toEqual({ model: 'gemma2:2b', echo: 'list' });
    expect(fake.inferenceRequests()[0]?.body).toMatchObject({ system: 'terse', format: 'json', options: { temperature: 0, num_predict: 64 } });
  });

  it('chat form with images (bytes) for a vision model', async () => {
    const code = 'send_output(call_ai("llava", messages=[{"role": "user", "content": "what is it?", "images": [b"\\x89PNG"]}]))';
    const result = await run(code);
    expect(result.output).toBe('Answer from llava:latest: what is it?');
    const body = fake.inferenceRequests()[0]?.body as { messages: Array<{ images: string[] }> };
    expect(Buffer.from(body.messages[0]!.images[0]!, 'base64')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it('stream=True hands the plugin each piece as it arrives, and the run streams tokens before its result', async () => {
    fake.faults.tokenLatencyMs = 80;
    const full = 'Answer from qwen2.5:1.5b: one two three four';
    const events: RunEvent[] = [];
    let atFirstToken: { answerWritten?: boolean; runSettled: boolean } | undefined;
    let settled = false;
    let late = 0;
    const code = 's = call_ai("qwen2.5:1.5b", "one two three four", stream=True)\nfirst = next(s)\nrest = list(s)\n'
      + 'send_output({"first": first, "reads": 1 + len(rest), "text": s.text})';
    const running = run(code, {
      onEvent: (event) => {
        events.push(event);
        if (settled) late += 1;
        if (event.type === 'ai-token' && !atFirstToken) atFirstToken = { answerWritten: fake.inferenceRequests()[0]?.finished, runSettled: settled };
      },
    });
    const result = await running.finally(() => (settled = true));
    const out = JSON.parse(result.output) as { first: string; reads: number; text: string };
    expect(out.text).toBe(full);
    // The first read came back before the answer was complete: a piece of it, not all of it.
    expect(out.first.length).toBeGreaterThan(0);
    expect(full.startsWith(out.first) && out.first !== full).toBe(true);
    expect(out.reads).toBeGreaterThan(1);
    // The caller of the run saw tokens while Ollama was still writing, and all of them before the result.
    expect(atFirstToken).toEqual({ answerWritten: false, runSettled: false });
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'ai-token').length).toBeGreaterThan(1);
    expect(late).toBe(0);
    expect(events.flatMap((e) => (e.type === 'ai-token' ? [e.text] : [])).join('')).toBe(full);
  });

  it('call_ai_many answers in order; return_exceptions puts errors in place', async () => {
    const code = 'r = call_ai_many([("qwen2.5:1.5b", "a"), {"model": "gemma2:2b", "prompt": "b"}, ("mistral", "c")], return_exceptions=True)\n'
      + 'send_output([x if isinstance(x, str) else type(x).__name__ for x in r])';
    expect(JSON.parse((await run(code)).output)).toEqual(['Answer from qwen2.5:1.5b: a', 'Answer from gemma2:2b: b', 'ModelNotAllowedError']);
    const raising = await run('call_ai_many([("qwen2.5:1.5b", "a"), ("mistral", "c")])');
    expect(raising.error?.code).toBe('MODEL_NOT_ALLOWED');
  });

  it('embed() returns vectors', async () => {
    const result = await run('v = embed("nomic-embed-text", "hi")\nvs = embed("nomic-embed-text", ["a", "b"])\nsend_output([len(v), len(vs), len(vs[1])])');
    expect(JSON.parse(result.output)).toEqual([8, 2, 8]);
  });
});

// How Ollama's own failures (errors, garbage, drops, timeouts, a proxy's 401) reach a plugin: sandbox-ai-errors.test.ts.
describe('every refusal reaches the plugin as a typed error', () => {
  // The run's error keeps the details the host issued (the model, and why), so a UI acts without reading the message.
  const cases: Array<[string, string, Partial<RunRequest>, object?]> = [
    ['MODEL_NOT_ALLOWED', 'call_ai("mistral:latest", "hi")', {}, { model: 'mistral:latest', reason: 'not-approved' }],
    ['MODEL_NOT_ALLOWED', 'call_ai("qwen2.5:1.5b", "hi")', { manifestModels: ['gemma2:2b'] }, { model: 'qwen2.5:1.5b', reason: 'not-in-manifest' }],
    ['MODEL_NOT_INSTALLED', 'call_ai("llama3.2", "hi")', {}, { model: 'llama3.2:latest' }],
    ['PROMPT_TOO_LONG', 'call_ai("gemma2:2b", "x" * 4001)', {}],
    ['AI_CALL_LIMIT', 'for i in range(4): call_ai("gemma2:2b", "hi")', { limits: { aiCalls: 3 } }],
  ];
  it.each(cases)('%s: %s', async (code, plugin, request, details) => {
    const result = await run(plugin, request);
    expect(result.error?.code).toBe(code);
    expect(result.error && 'details' in result.error ? result.error.details : undefined).toEqual(details);
  });

  it('the plugin can catch them by class', async () => {
    const code = 'try:\n    call_ai("llama3.2", "hi")\nexcept ModelNotInstalledError as e:\n    send_output("pull it: " + str(e))';
    expect((await run(code)).output).toContain('pull it: Model "llama3.2:latest" is approved but not installed');
  });

  it('AI_TOKEN_LIMIT once the run spent its budget', async () => {
    const code = 'call_ai("gemma2:2b", "one two three")\ncall_ai("gemma2:2b", "again")';
    expect((await run(code, { limits: { aiTokens: 10 } })).error?.code).toBe('AI_TOKEN_LIMIT');
  });

  it('a budget raised past 100,000 tokens is the budget (issue #10: it was capped whatever the settings said)', async () => {
    // 80,000 words of system prompt: Ollama (the fake) counts 80,001 prompt tokens per call.
    const code = 'big = "word " * 80000\nfor i in range(2): call_ai("gemma2:2b", "hi", system=big)\nsend_output("spent")';
    const result = await run(code, { limits: { aiTokens: 1_000_000, promptChars: 500_000 } });
    expect(result).toMatchObject({ ok: true, output: 'spent' });
    expect(result.aiCalls.map((call) => call.promptTokens)).toEqual([80_001, 80_001]);
  });
});

describe('the run ending ends its AI requests', () => {
  it('cancelling a run waiting for the model aborts the HTTP request', async () => {
    fake.faults.hang = true;
    const controller = new AbortController();
    const running = run('call_ai("gemma2:2b", "hi")', {
      signal: controller.signal,
      onEvent: (event) => event.type === 'ai-call' && setTimeout(() => controller.abort(), 50),
    });
    expect((await running).error?.code).toBe('CANCELLED');
    await vi.waitFor(() => expect(fake.inferenceRequests().map((r) => r.aborted)).toEqual([true]));
  });

  it('a run that times out with a stream under way aborts it', async () => {
    fake.faults.tokenLatencyMs = 10_000;
    const result = await run('s = call_ai("gemma2:2b", "a b c", stream=True)\nwhile True: pass', { limits: { wallTimeMs: 1500 } });
    expect(result.error?.code).toBe('TIMEOUT');
    await vi.waitFor(() => expect(fake.inferenceRequests().map((r) => r.aborted)).toEqual([true]));
  });
});

describe('compute time against a slow Ollama', () => {
  it('does not count the time spent waiting for the model', async () => {
    fake.faults.latencyMs = 700;
    const code = 'for i in range(3): call_ai("gemma2:2b", "hi")\nsend_output("done")';
    const result = await run(code, { broker: broker(), limits: { computeTimeMs: 1000, wallTimeMs: 30_000 } });
    expect(result).toMatchObject({ ok: true, output: 'done' });
    expect(result.aiCalls.map((call) => call.ok)).toEqual([true, true, true]);
    // Longer than the compute budget: only the waits for Ollama can make up the difference.
    expect(result.durationMs).toBeGreaterThan(1000);
  });

  it('still counts what the plugin computes between calls', async () => {
    fake.faults.latencyMs = 300;
    const result = await run('call_ai("gemma2:2b", "hi")\nwhile True: pass', { broker: broker(), limits: { computeTimeMs: 1000, wallTimeMs: 30_000 } });
    expect(result.error?.code).toBe('COMPUTE_LIMIT');
    expect(result.aiCalls).toHaveLength(1);
  });
});

describe('hostile AI frames', () => {
  it.each([
    ['an unknown stream', 'sdk._ai_reply({"next": 999})'],
    ['a stream flag that is not true', 'sdk._ai_reply({"stream": 1, "model": "gemma2:2b", "prompt": "x"})'],
    ['a batch past the cap', 'sdk._ai_reply({"many": [{"model": "gemma2:2b", "prompt": "x"}] * 101})'],
    ['extra fields', 'sdk._ai_reply({"embed": {"model": "nomic-embed-text", "input": "x", "host": "evil"}})'],
  ])('%s is refused with a typed error', async (_, call) => {
    const result = await run(`import platform_sdk as sdk\ntry:\n    ${call}\nexcept AIError as e:\n    send_output(e.code)`);
    expect(result.output).toBe('AI_ERROR');
    expect(fake.inferenceRequests()).toHaveLength(0);
  });
});
