import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AiBroker, type AiBrokerOptions, type AiSession, type AiSessionOptions } from '../../src/ai/broker.ts';
import { OllamaProvider } from '../../src/ai/ollama-provider.ts';
import type { AiProvider } from '../../src/ai/provider.ts';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits.ts';
import type { RunEvent } from '../../src/shared/run.ts';
import { FakeOllama } from '../fake-ollama/server.ts';
import { closedPort, failureOf } from './helpers.ts';

let fake: FakeOllama;

beforeAll(async () => {
  fake = await FakeOllama.start({
    models: [{ name: 'qwen2.5:1.5b' }, { name: 'gemma2:2b' }, { name: 'nomic-embed-text:latest', capabilities: ['embedding'] }],
  });
});
afterEach(() => {
  fake.faults = {};
  fake.requests.length = 0;
  fake.peakConcurrency = 0;
});
afterAll(() => fake.close());

const ALLOW = ['qwen2.5:1.5b', 'gemma2:2b', 'llama3.2:latest', 'nomic-embed-text'];

function session(options: Partial<AiSessionOptions> = {}, broker: Partial<AiBrokerOptions> = {}): AiSession {
  const provider = new OllamaProvider({ host: fake.url, headers: {}, source: 'settings' });
  return new AiBroker({ provider, allowList: ALLOW, ...broker }).openSession({
    limits: { ...DEFAULT_LIMITS }, signal: new AbortController().signal, ...options,
  });
}


describe('approved models', () => {
  it('list_models is the allow-list ∩ installed ∩ manifest', async () => {
    expect(await session().listModels()).toEqual(['qwen2.5:1.5b', 'gemma2:2b', 'nomic-embed-text:latest']);
    expect(await session({ manifestModels: ['gemma2:2b', 'mistral:latest'] }).listModels()).toEqual(['gemma2:2b']);
  });

  it('refuses a model off the allow-list, or off the manifest, with MODEL_NOT_ALLOWED', async () => {
    const off = await failureOf(session().call({ model: 'mistral:latest', prompt: 'hi' }));
    expect(off).toMatchObject({ code: 'MODEL_NOT_ALLOWED', details: { model: 'mistral:latest', reason: 'not-approved' } });
    const narrowed = await failureOf(session({ manifestModels: ['gemma2:2b'] }).call({ model: 'qwen2.5:1.5b', prompt: 'hi' }));
    expect(narrowed).toMatchObject({ code: 'MODEL_NOT_ALLOWED', hint: 'Call it by name in plugin.py (the manifest lists the models the code names), or add it to "models" in plugin.json', details: { model: 'qwen2.5:1.5b', reason: 'not-in-manifest' } });
    expect(fake.inferenceRequests()).toHaveLength(0);
  });

  it('an approved model that is not pulled is MODEL_NOT_INSTALLED with a hint to pull it', async () => {
    const error = await failureOf(session().call({ model: 'llama3.2', prompt: 'hi' }));
    expect(error).toMatchObject({ code: 'MODEL_NOT_INSTALLED', hint: 'Pull it on the Models screen, or with `wasmforge models pull llama3.2:latest`' });
  });

  it('Ollama down is AI_UNAVAILABLE, for list_models and for calls', async () => {
    const port = await closedPort();
    const down = new OllamaProvider({ host: `http://127.0.0.1:${port}`, headers: {}, source: 'default' });
    const s = new AiBroker({ provider: down, allowList: ALLOW }).openSession({ limits: { ...DEFAULT_LIMITS }, signal: new AbortController().signal });
    expect((await failureOf(s.listModels())).code).toBe('AI_UNAVAILABLE');
    const error = await failureOf(s.call({ model: 'gemma2:2b', prompt: 'hi' }));
    expect(error.code).toBe('AI_UNAVAILABLE');
    expect(error.message).toContain(`GET /api/tags at http://127.0.0.1:${port}`);
  });
});

describe('limits and budgets', () => {
  it('PROMPT_TOO_LONG counts the system prompt and chat turns too', async () => {
    const s = session({ limits: { ...DEFAULT_LIMITS, promptChars: 10 } });
    expect((await failureOf(s.call({ model: 'gemma2:2b', prompt: 'short', system: 'a long system prompt' }))).code).toBe('PROMPT_TOO_LONG');
    const chat = s.call({ model: 'gemma2:2b', messages: [{ role: 'user', content: 'abcdef' }, { role: 'user', content: 'ghijkl' }] });
    expect((await failureOf(chat)).code).toBe('PROMPT_TOO_LONG');
    expect(fake.inferenceRequests()).toHaveLength(0);
  });

  it('AI_CALL_LIMIT after the per-run count, and refused calls past it leave no records', async () => {
    const s = session({ limits: { ...DEFAULT_LIMITS, aiCalls: 2 } });
    await s.call({ model: 'gemma2:2b', prompt: 'one' });
    await s.call({ model: 'gemma2:2b', prompt: 'two' });
    for (let i = 0; i < 50; i++) expect((await failureOf(s.call({ model: 'gemma2:2b', prompt: 'more' }))).code).toBe('AI_CALL_LIMIT');
    expect(s.records).toHaveLength(2);
  });

  it('AI_TOKEN_LIMIT once the run spent its tokens; the answer is capped to what is left', async () => {
    const s = session({ limits: { ...DEFAULT_LIMITS, aiTokens: 12 } });
    // 27 characters estimate as 7 prompt tokens, so 5 are left for the answer.
    await s.call({ model: 'gemma2:2b', prompt: 'a b c d e f g h i j k l m n' });
    expect(fake.requests.at(-1)?.body).toMatchObject({ options: { num_predict: 5 } });
    expect(s.tokensUsed).toBeGreaterThanOrEqual(12);
    expect((await failureOf(s.call({ model: 'gemma2:2b', prompt: 'again' }))).code).toBe('AI_TOKEN_LIMIT');
  });

  it('AI_TOKEN_LIMIT says what the call needed, not "used 0 of 2", and where to raise the limit', async () => {
    // A new user's trial: with aiTokens 2 the first call failed "This run has used 0 of its 2 AI tokens".
    const first = await failureOf(session({ limits: { ...DEFAULT_LIMITS, aiTokens: 2 } }).call({ model: 'gemma2:2b', prompt: 'Summarize: April' }));
    expect(first).toMatchObject({ code: 'AI_TOKEN_LIMIT', message: 'This call\'s prompt alone is about 4 AI tokens; this run may use 2 in all (prompts and answers)' });
    expect(first.hint).toBe('Raise "AI tokens per run" in Settings › Sandbox, or the plugin\'s own "aiTokens" under "limits" in plugin.json if it sets one lower');
    const s = session({ limits: { ...DEFAULT_LIMITS, aiTokens: 12 } });
    await s.call({ model: 'gemma2:2b', prompt: 'a b c' });
    const next = await failureOf(s.call({ model: 'gemma2:2b', prompt: 'a b c d e f g h i j k l m n' }));
    expect(next.message).toBe(`This run has used ${s.tokensUsed} of its 12 AI tokens; this call's prompt is about 7 more, leaving none for its answer`);
    expect(fake.inferenceRequests()).toHaveLength(1);
  });

  it('the token budget is the run\'s own aiTokens, above 100,000 as well as below', async () => {
    // Settings may raise aiTokens to 100,000,000; the broker once capped every run at 100,000 whatever they said.
    const large: AiProvider = { offline: true, listInstalledModels: async () => ALLOW, generate: async () => ({ text: 'ok', promptTokens: 150_000, responseTokens: 0 }) };
    const s = new AiBroker({ provider: large, allowList: ALLOW }).openSession({ limits: { ...DEFAULT_LIMITS, aiTokens: 300_000 }, signal: new AbortController().signal });
    await s.call({ model: 'gemma2:2b', prompt: 'one' });
    await s.call({ model: 'gemma2:2b', prompt: 'two' });
    expect(s.tokensUsed).toBe(300_000);
    expect((await failureOf(s.call({ model: 'gemma2:2b', prompt: 'three' }))).message).toContain('used 300000 of its 300000 AI tokens');
  });

  it('rejects images that are not base64 or too large, and strips data URLs', async () => {
    const s = session({}, { imageBytes: 1024 });
    expect((await failureOf(s.call({ model: 'gemma2:2b', prompt: 'x', images: ['not base64!'] }))).code).toBe('AI_ERROR');
    const big = Buffer.alloc(2048).toString('base64');
    expect((await failureOf(s.call({ model: 'gemma2:2b', prompt: 'x', images: [big] }))).code).toBe('PROMPT_TOO_LONG');
    const small = Buffer.from('png').toString('base64');
    const answered = await failureOf(s.call({ model: 'gemma2:2b', prompt: 'x', images: [`data:image/png;base64,${small}`] }));
    // gemma2 is no vision model: Ollama itself refuses, after the image passed the host's checks.
    expect(answered.message).toContain('image input');
    expect(fake.requests.at(-1)?.body).toMatchObject({ images: [small] });
  });
});

describe('timeouts and cancellation', () => {
  it('a call that takes too long is AI_UNAVAILABLE and its HTTP request is aborted', async () => {
    fake.faults.hang = true;
    const error = await failureOf(session({}, { callTimeoutMs: 200 }).call({ model: 'gemma2:2b', prompt: 'hi' }));
    expect(error.code).toBe('AI_UNAVAILABLE');
    expect(error.message).toContain('did not finish');
    await vi.waitFor(() => expect(fake.inferenceRequests().map((r) => r.aborted)).toEqual([true]));
  });

  it('the call timeout never outlives the run\'s wall time', async () => {
    fake.faults.hang = true;
    const error = await failureOf(session({ limits: { ...DEFAULT_LIMITS, wallTimeMs: 200 } }).call({ model: 'gemma2:2b', prompt: 'hi' }));
    expect(error.message).toContain('within 0.2 s');
  });

  it('cancelling the run aborts the request under way with CANCELLED', async () => {
    fake.faults.hang = true;
    const run = new AbortController();
    const pending = session({ signal: run.signal }).call({ model: 'gemma2:2b', prompt: 'hi' });
    await vi.waitFor(() => expect(fake.inferenceRequests()).toHaveLength(1));
    run.abort();
    expect((await failureOf(pending)).code).toBe('CANCELLED');
    await vi.waitFor(() => expect(fake.inferenceRequests().map((r) => r.aborted)).toEqual([true]));
  });

  it('does not hang on a provider that ignores its signal', async () => {
    const stuck: AiProvider = { listInstalledModels: async () => ALLOW, generate: () => new Promise(() => undefined) };
    const s = new AiBroker({ provider: stuck, allowList: ALLOW, callTimeoutMs: 100 })
      .openSession({ limits: { ...DEFAULT_LIMITS }, signal: new AbortController().signal });
    expect((await failureOf(s.call({ model: 'gemma2:2b', prompt: 'hi' }))).code).toBe('AI_UNAVAILABLE');
  });
});

describe('answers, streaming and records', () => {
  it('streams tokens as run events while the plugin waits for the whole text', async () => {
    const events: RunEvent[] = [];
    const s = session({ onEvent: (event) => events.push(event) });
    const text = await s.call({ model: 'qwen2.5:1.5b', prompt: 'tell me more' });
    const tokens = events.flatMap((e) => (e.type === 'ai-token' ? [e.text] : []));
    expect(events[0]).toEqual({ type: 'ai-call', model: 'qwen2.5:1.5b', index: 0 });
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe(text);
  });

  it('records model, prompt, response, Ollama token counts and whether it was replayed', async () => {
    const s = session();
    await s.call({ model: 'qwen2.5:1.5b', messages: [{ role: 'user', content: 'hello you' }] });
    expect(s.records[0]).toMatchObject({
      model: 'qwen2.5:1.5b', ok: true, prompt: 'user: hello you', response: 'Answer from qwen2.5:1.5b: hello you',
      promptChars: 9, promptTokens: 2, responseTokens: 5, replayed: false,
    });
    expect(s.records[0]!.durationMs).toBeGreaterThan(0);
  });

  it('a streamed call is read piece by piece until done', async () => {
    const s = session();
    const id = s.openStream({ model: 'gemma2:2b', prompt: 'one two three' });
    let text = '';
    for (let read = await s.readStream(id); ; read = await s.readStream(id)) {
      text += read.text;
      if (read.done) break;
    }
    expect(text).toBe('Answer from gemma2:2b: one two three');
  });

  it('call_ai_many answers in order, at most `concurrency` at a time, failures in place', async () => {
    fake.faults.tokenLatencyMs = 5;
    const s = session({}, { concurrency: 2 });
    const outcomes = await s.callMany(['a', 'b', 'c', 'd'].map((p) => ({ model: 'gemma2:2b', prompt: p })).concat([{ model: 'nope:1b', prompt: 'e' }]));
    expect(outcomes.slice(0, 4)).toEqual(['a', 'b', 'c', 'd'].map((p) => ({ ok: true, text: `Answer from gemma2:2b: ${p}` })));
    expect(outcomes[4]).toMatchObject({ ok: false, error: { code: 'MODEL_NOT_ALLOWED' } });
    expect(fake.peakConcurrency).toBe(2);
    expect(s.records.map((r) => r.prompt)).toEqual(['a', 'b', 'c', 'd', 'e']);
    // Overlapping waits count once.
    expect(s.waitingMs).toBeLessThan(s.records.reduce((sum, r) => sum + r.durationMs, 0));
    expect(s.waitingMs).toBeGreaterThan(0);
  });

  it('call_ai_many past the call limit is refused whole', async () => {
    const s = session({ limits: { ...DEFAULT_LIMITS, aiCalls: 3 } });
    const error = await failureOf(s.callMany([1, 2, 3, 4].map(() => ({ model: 'gemma2:2b', prompt: 'x' }))));
    expect(error.code).toBe('AI_CALL_LIMIT');
    expect(s.records).toHaveLength(0);
  });

  it('embeds through an approved embedding model', async () => {
    const s = session();
    const vectors = await s.embed('nomic-embed-text', ['a', 'b']);
    expect(vectors).toHaveLength(2);
    expect(s.records[0]).toMatchObject({ model: 'nomic-embed-text:latest', ok: true, response: '[2 vectors × 8]' });
    expect((await failureOf(s.embed('qwen2.5:1.5b', 'x'))).message).toContain('does not support embeddings');
  });
});
