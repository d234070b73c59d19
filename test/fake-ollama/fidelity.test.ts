import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeOllama } from './server.ts';

// The fake speaks Ollama's HTTP API byte for byte where the `ollama` client and our code look:
// paths and methods, NDJSON lines and the final chunk's fields, error bodies and their status
// codes (as in ollama/ollama server/routes.go). Checked here on the wire, without the client.
let fake: FakeOllama;

beforeAll(async () => {
  fake = await FakeOllama.start({ pullable: [{ name: 'phi3:mini', size: 2_000 }] });
});
afterEach(() => {
  fake.faults = {};
});
afterAll(() => fake.close());

const send = (method: string, path: string, body?: unknown) => fetch(`${fake.url}${path}`, {
  method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
});
const post = (path: string, body: unknown) => send('POST', path, body);

async function lines(response: Response): Promise<Array<Record<string, unknown>>> {
  return (await response.text()).split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function expectError(response: Response, status: number, error: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(await response.json()).toEqual({ error });
}

const FINAL_STATS = ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'];

describe('inference', () => {
  it('/api/generate streams NDJSON: bare token chunks, then a final chunk with done_reason, context and the counts', async () => {
    const response = await post('/api/generate', { model: 'gemma2:2b', prompt: 'one two' });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const chunks = await lines(response);
    const final = chunks.at(-1)!;
    for (const chunk of chunks.slice(0, -1)) expect(Object.keys(chunk).sort()).toEqual(['created_at', 'done', 'model', 'response']);
    expect(chunks.slice(0, -1).map((c) => c.response).join('')).toBe('Answer from gemma2:2b: one two');
    expect(final).toMatchObject({ model: 'gemma2:2b', response: '', done: true, done_reason: 'stop', context: expect.any(Array), eval_count: 5 });
    expect(Object.keys(final)).toEqual(expect.arrayContaining(FINAL_STATS));
    expect(new Date(final.created_at as string).toISOString()).toBe(final.created_at);
  });

  it('stream: false is one JSON object with the whole answer; num_predict cuts it with done_reason "length"', async () => {
    const response = await post('/api/generate', { model: 'gemma2:2b', prompt: 'one two', stream: false, options: { num_predict: 2 } });
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ response: 'Answer from', done: true, done_reason: 'length', eval_count: 2 });
  });

  it('an empty prompt, or no messages, only loads the model', async () => {
    expect(await (await post('/api/generate', { model: 'gemma2:2b', prompt: '' })).json()).toMatchObject({ response: '', done: true, done_reason: 'load' });
    expect(await (await post('/api/chat', { model: 'gemma2:2b', messages: [] })).json())
      .toMatchObject({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'load' });
  });

  it('/api/chat streams assistant messages; its final chunk has the counts but no context', async () => {
    const chunks = await lines(await post('/api/chat', { model: 'gemma2:2b', messages: [{ role: 'user', content: 'hi there' }] }));
    expect(chunks[0]).toEqual({ model: 'gemma2:2b', created_at: expect.any(String), message: { role: 'assistant', content: 'Answer' }, done: false });
    const final = chunks.at(-1)!;
    expect(final).toMatchObject({ message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop' });
    expect(Object.keys(final)).toEqual(expect.arrayContaining(FINAL_STATS));
    expect(final).not.toHaveProperty('context');
  });

  it('/api/embed answers unit vectors with the counts; no input loads; a model without embeddings is refused by its runner (501)', async () => {
    const answer = await (await post('/api/embed', { model: 'nomic-embed-text', input: ['a', 'b'] })).json() as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['embeddings', 'load_duration', 'model', 'prompt_eval_count', 'total_duration']);
    const [first] = answer.embeddings as number[][];
    expect(Math.hypot(...first!)).toBeCloseTo(1, 5);
    expect(await (await post('/api/embed', { model: 'nomic-embed-text', input: '' })).json()).toEqual({ model: 'nomic-embed-text', embeddings: [] });
    await expectError(await post('/api/embed', { model: 'gemma2:2b', input: 'x' }), 501, 'this model does not support embeddings');
  });

  it('refusals carry Ollama\'s status codes and messages', async () => {
    await expectError(await post('/api/generate', { model: 'phi3:mini', prompt: 'x' }), 404, "model 'phi3:mini' not found");
    await expectError(await post('/api/chat', { model: 'phi3:mini', messages: [{ role: 'user', content: 'x' }] }), 404, "model 'phi3:mini' not found");
    await expectError(await post('/api/generate', { model: 'nomic-embed-text', prompt: 'x' }), 400, '"nomic-embed-text" does not support generate');
    await expectError(await post('/api/chat', { model: 'nomic-embed-text', messages: [{ role: 'user', content: 'x' }] }), 400, '"nomic-embed-text" does not support chat');
    await expectError(await post('/api/generate', { model: 'gemma2:2b', prompt: 'x', images: ['aGk='] }), 500, 'this model is missing data required for image input');
    await expectError(await send('POST', '/api/generate'), 400, 'missing request body');
    await expectError(await post('/api/generate', '{"model": broken'), 400, "invalid character 'b' looking for beginning of value");
  });

  it('an error before the first token gets its own status; after it, an error line ends the stream', async () => {
    fake.faults = { errorAfterTokens: { tokens: 0, message: 'out of memory' } };
    await expectError(await post('/api/generate', { model: 'gemma2:2b', prompt: 'x' }), 500, 'out of memory');
    fake.faults = { errorAfterTokens: { tokens: 1, message: 'out of memory' } };
    const response = await post('/api/generate', { model: 'gemma2:2b', prompt: 'x' });
    expect(response.status).toBe(200);
    expect(await lines(response)).toEqual([expect.objectContaining({ response: 'Answer', done: false }), { error: 'out of memory' }]);
  });
});

describe('models', () => {
  it('/api/tags lists models newest first with Ollama\'s fields; HEAD answers without a body', async () => {
    const { models } = await (await send('GET', '/api/tags')).json() as { models: Array<Record<string, unknown>> };
    expect(Object.keys(models[0]!).sort()).toEqual(['details', 'digest', 'model', 'modified_at', 'name', 'size']);
    expect(Object.keys(models[0]!.details as object).sort()).toEqual(['families', 'family', 'format', 'parameter_size', 'parent_model', 'quantization_level']);
    const times = models.map((m) => Date.parse(m.modified_at as string));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const head = await send('HEAD', '/api/tags');
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('/api/ps lists loaded models with expires_at and size_vram', async () => {
    await post('/api/generate', { model: 'gemma2:2b', prompt: '' });
    const { models } = await (await send('GET', '/api/ps')).json() as { models: Array<Record<string, unknown>> };
    expect(models.find((m) => m.name === 'gemma2:2b')).toMatchObject({ model: 'gemma2:2b', expires_at: expect.any(String), size_vram: expect.any(Number) });
    expect(models[0]).not.toHaveProperty('modified_at');
  });

  it('/api/pull streams Ollama\'s status lines; an unknown name ends with an error line; stream: false answers the last status', async () => {
    const statuses = (await lines(await post('/api/pull', { name: 'phi3:mini' }))).map((l) => l.status);
    expect(statuses[0]).toBe('pulling manifest');
    expect(statuses.slice(-3)).toEqual(['verifying sha256 digest', 'writing manifest', 'success']);
    expect(statuses.slice(1, -3).every((s) => /^pulling [0-9a-f]{12}$/.test(String(s)))).toBe(true);
    expect(await lines(await post('/api/pull', { model: 'no-such:1b' }))).toEqual([
      { status: 'pulling manifest' }, { error: 'pull model manifest: file does not exist' },
    ]);
    expect(await (await post('/api/pull', { model: 'phi3:mini', stream: false })).json()).toEqual({ status: 'success' });
    await expectError(await post('/api/pull', {}), 400, 'invalid model name');
  });

  it('/api/pull without internet: the manifest request\'s network error, as an error line or a 500', async () => {
    fake.faults.registryOffline = 'dns';
    expect(await lines(await post('/api/pull', { model: 'phi3:mini' }))).toEqual([
      { status: 'pulling manifest' },
      { error: 'pull model manifest: Get "https://registry.ollama.ai/v2/library/phi3/manifests/mini": dial tcp: lookup registry.ollama.ai on 127.0.0.53:53: server misbehaving' },
    ]);
    fake.faults.registryOffline = 'no-route';
    await expectError(await post('/api/pull', { model: 'someone/tool', stream: false }), 500,
      'pull model manifest: Get "https://registry.ollama.ai/v2/someone/tool/manifests/latest": dial tcp 104.21.75.227:443: connect: network is unreachable');
  });

  it('/api/delete answers 200 with no body, 404 for a model that is not there', async () => {
    const deleted = await send('DELETE', '/api/delete', { name: 'phi3:mini' });
    expect([deleted.status, await deleted.text()]).toEqual([200, '']);
    await expectError(await send('DELETE', '/api/delete', { name: 'phi3:mini' }), 404, "model 'phi3:mini' not found");
  });

  it('/api/version and / answer like Ollama; unknown paths and methods get gin\'s plain-text 404 and 405', async () => {
    expect(await (await send('GET', '/api/version')).json()).toEqual({ version: '0.12.6' });
    expect(await (await send('GET', '/')).text()).toBe('Ollama is running');
    const missing = await send('GET', '/api/nothing');
    expect([missing.status, await missing.text()]).toEqual([404, '404 page not found']);
    const wrongMethod = await send('GET', '/api/generate');
    expect([wrongMethod.status, await wrongMethod.text()]).toEqual([405, '405 method not allowed']);
  });
});

describe('a proxy in front of it', () => {
  it('answers a request without the required headers as nginx does: 401, an HTML page, WWW-Authenticate', async () => {
    const guarded = await FakeOllama.start({ requireHeaders: { 'X-Api-Key': 'k' } });
    try {
      const refused = await fetch(`${guarded.url}/api/tags`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('content-type')).toBe('text/html');
      expect(refused.headers.get('www-authenticate')).toContain('Basic');
      expect(await refused.text()).toContain('<title>401 Authorization Required</title>');
      expect((await fetch(`${guarded.url}/api/tags`, { headers: { 'X-Api-Key': 'k' } })).status).toBe(200);
    } finally {
      await guarded.close();
    }
  });
});
