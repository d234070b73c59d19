import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../library/settings.ts';
import { ApiError } from '../shared/api/api-error.ts';
import { SECRET_MASK } from '../shared/api/schemas/settings.ts';
import type { RunStreamEvent } from '../shared/api/routes.ts';
import type { ApiClient } from '../shared/api/types.ts';
import { openTransport, type TransportFixture, type TransportName } from '../../test/support/transports.ts';

// One contract, three transports: every case runs in-process, over the in-memory IPC pair and over HTTP.
const transports: TransportName[] = ['direct', 'ipc', 'http'];

async function errorOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe.each(transports)('API contract over %s', (transport) => {
  let fixture: TransportFixture;
  let client: ApiClient;

  beforeAll(async () => {
    fixture = await openTransport(transport);
    client = fixture.client;
  });
  afterAll(() => fixture.close());

  it('describes the app', async () => {
    const info = await client.call('app.info', {});
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.limits.aiCalls).toBe(10);
    expect(info.features.history).toBe(true);
  });

  it('refuses invalid input with BAD_INPUT and keeps the code across the transport', async () => {
    const error = await errorOf(client.call('runs.history', { limit: -1 }));
    expect(error.code).toBe('BAD_INPUT');
    expect(error.message).toContain('runs.history');
  });

  it('refuses an unknown route', async () => {
    const error = await errorOf(client.call('nope.nothing' as 'app.info', {}));
    expect(['BAD_INPUT', 'NOT_FOUND']).toContain(error.code);
  });

  it('says NOT_FOUND for an installed plugin that is not there, without creating a database to say so', async () => {
    // First of the run tests: runs are kept in the local database, so it must not exist yet here.
    const error = await errorOf(client.stream('runs.run', { plugin: { source: 'installed', name: 'nothing-here' } }, { onEvent: () => undefined }));
    expect(error.code).toBe('NOT_FOUND');
    expect((await client.call('plugins.list', {})).filter((p) => p.source === 'installed')).toEqual([]);
    expect(existsSync(join(fixture.api.context.home, 'db'))).toBe(false);
  });

  it('streams a run and returns its record, which the history keeps', async () => {
    const events: RunStreamEvent[] = [];
    const record = await client.stream('runs.run', { code: 'print(1)', input: 'hello', manifest: { name: 'echo' } }, { onEvent: (e) => events.push(e) });
    expect(record.result.output).toBe('HELLO');
    expect(record.pluginName).toBe('echo');
    // The result travels once, in the final envelope: no event repeats it.
    expect(events.map((e) => e.type)).toEqual(['accepted', 'started', 'log', 'ai-call', 'ai-token', 'output']);
    expect(events[0]).toEqual({ type: 'accepted', runId: record.id });
    const history = await client.call('runs.history', {});
    expect(history[0]).toMatchObject({ id: record.id, ok: true, pluginName: 'echo' });
    const again = await client.call('runs.get', { id: record.id });
    expect(again.input).toBe('hello');
  });

  it('cancels a run when the caller aborts, and still returns its CANCELLED result', async () => {
    const controller = new AbortController();
    const record = await client.stream('runs.run', { code: 'WAIT', input: '' }, {
      signal: controller.signal,
      onEvent: (event) => event.type === 'log' && controller.abort(),
    });
    expect(record.result.ok).toBe(false);
    expect(record.result.error?.code).toBe('CANCELLED');
  });

  it('cancels a run aborted while the request is still on its way', async () => {
    const controller = new AbortController();
    const running = client.stream('runs.run', { code: 'WAIT', input: '', remember: false }, { signal: controller.signal, onEvent: () => undefined });
    controller.abort();
    const outcome = await running.then((record) => record.result.error?.code, (error: unknown) => (error as ApiError).code);
    expect(outcome).toBe('CANCELLED');
  });

  it('reports a plugin failure as a result, not as a transport error', async () => {
    const record = await client.stream('runs.run', { code: 'FAIL', input: 'x', remember: false }, { onEvent: () => undefined });
    expect(record.result.error).toMatchObject({ code: 'PLUGIN_ERROR', message: 'boom' });
  });

  it('passes the file name and the caller\'s limits to the sandbox', async () => {
    await client.stream('runs.run', { code: 'print(1)', filename: 'my_tool.py', limits: { wallTimeMs: 1500 }, remember: false }, { onEvent: () => undefined });
    expect(fixture.sandbox.requests.at(-1)).toMatchObject({ filename: 'my_tool.py', limits: { wallTimeMs: 1500 } });
    expect((await errorOf(client.stream('runs.run', { code: 'x', limits: { wallTimeMs: -1 } }, { onEvent: () => undefined }))).code).toBe('BAD_INPUT');
  });

  it('records a run\'s AI calls and replays them from what the caller sends back, with no model', async () => {
    const recorded = await client.stream('runs.run', { code: 'ASK_AI', input: 'Summarize: hi', record: true, remember: false }, { onEvent: () => undefined });
    expect(recorded.result).toMatchObject({ ok: true, aiCalls: [{ model: 'qwen2.5:1.5b', ok: true }] });
    const recording = JSON.parse(recorded.recording ?? '') as { format: string; calls: Array<{ request: { prompt: string }; response: { text: string } }> };
    expect(recording).toMatchObject({ format: 'wasmforge-ai-recording', calls: [{ request: { prompt: 'Summarize: hi' } }] });
    expect(recording.calls[0]?.response.text).toBe(recorded.result.output);

    const replayed = await client.stream('runs.run', { code: 'ASK_AI', input: 'Summarize: hi', replay: recorded.recording, remember: false }, { onEvent: () => undefined });
    expect(replayed.result).toMatchObject({ ok: true, output: recorded.result.output, aiCalls: [{ replayed: true }] });
    expect(replayed.recording).toBeUndefined();
    const miss = await client.stream('runs.run', { code: 'ASK_AI', input: 'something else', replay: recorded.recording, remember: false }, { onEvent: () => undefined });
    expect(miss.result.error?.code).toBe('REPLAY_MISS');

    const refused = (request: object) => errorOf(client.stream('runs.run', { code: 'ASK_AI', remember: false, ...request }, { onEvent: () => undefined }));
    expect((await refused({ replay: '{"not": "a recording"}' })).code).toBe('BAD_INPUT');
    expect((await refused({ replay: recorded.recording, record: true })).code).toBe('BAD_INPUT');
  });

  it('holds a run to the models its manifest names, on top of the allow-list', async () => {
    const run = (manifest: object) => client.stream('runs.run', { code: 'ASK_AI', input: 'hi', manifest, remember: false }, { onEvent: () => undefined });
    expect((await run({ models: ['qwen2.5:1.5b'] })).result.ok).toBe(true);
    expect((await run({})).result.ok).toBe(true);
    expect((await run({ models: ['mistral:latest'] })).result.error?.code).toBe('MODEL_NOT_ALLOWED');
  });

  it('checks syntax', async () => {
    expect((await client.call('runs.checkSyntax', { code: 'def (' })).error?.code).toBe('SYNTAX_ERROR');
    expect((await client.call('runs.checkSyntax', { code: 'x = 1' })).error).toBeNull();
  });

  it('saves, lists, opens, renames and deletes a workspace plugin', async () => {
    const manifest = { name: 'greeter', description: 'Says hi' };
    await client.call('plugins.save', { code: 'print("hi")', manifest });
    expect((await client.call('plugins.list', {})).map((p) => p.name)).toContain('greeter');
    const clash = await errorOf(client.call('plugins.save', { code: 'overwrite!', manifest }));
    expect(clash.code).toBe('ALREADY_EXISTS');
    await client.call('plugins.save', { code: 'print("hi")', manifest, previousName: 'greeter' });
    const detail = await client.call('plugins.get', { source: 'workspace', name: 'greeter' });
    expect(detail).toMatchObject({ code: 'print("hi")', manifest: { name: 'greeter', version: '0.1.0', inputType: 'text' } });
    await client.call('plugins.save', { code: 'print("hello")', manifest: { name: 'greeter2' }, previousName: 'greeter' });
    expect((await errorOf(client.call('plugins.get', { source: 'workspace', name: 'greeter' }))).code).toBe('NOT_FOUND');
    const record = await client.stream('runs.run', { plugin: { source: 'workspace', name: 'greeter2' }, input: 'a' }, { onEvent: () => undefined });
    expect(record).toMatchObject({ pluginName: 'greeter2', source: 'workspace' });
    expect(fixture.sandbox.requests.at(-1)?.code).toBe('print("hello")');
    await client.call('plugins.delete', { name: 'greeter2' });
    expect((await errorOf(client.call('plugins.delete', { name: 'greeter2' }))).code).toBe('NOT_FOUND');
  });

  it("saves, opens and runs a multi-file plugin's files; a save without files keeps them and the models they call", async () => {
    const files = { 'helpers.py': 'from platform_sdk import call_ai\ncall_ai("mistral", "x")\n', 'data/words.txt': 'alpha' };
    await client.call('plugins.save', { code: 'import helpers\n', files, manifest: { name: 'multi', description: 'Two files' } });
    expect(await client.call('plugins.get', { source: 'workspace', name: 'multi' })).toMatchObject({ files, manifest: { models: ['mistral'] } });
    await client.call('plugins.save', { code: 'import helpers\nprint(1)\n', manifest: { name: 'multi', description: 'Two files', models: [] }, previousName: 'multi' });
    expect(await client.call('plugins.get', { source: 'workspace', name: 'multi' })).toMatchObject({ files, manifest: { models: ['mistral'] } });
    await client.stream('runs.run', { plugin: { source: 'workspace', name: 'multi' }, input: 'a' }, { onEvent: () => undefined });
    expect(fixture.sandbox.requests.at(-1)?.files).toEqual(files);
    await client.call('plugins.save', { code: 'pass\n', files: {}, manifest: { name: 'multi', description: 'One file' }, previousName: 'multi' });
    expect((await client.call('plugins.get', { source: 'workspace', name: 'multi' })).files).toEqual({});
    const bad = await errorOf(client.call('plugins.save', { code: 'pass\n', files: { '../x.py': '' }, manifest: { name: 'multi' }, previousName: 'multi' }));
    // The sandbox's own refusal, typed, whichever door the files came in by: the file at fault and why.
    expect(bad.info).toMatchObject({ code: 'INVALID_PLUGIN_FILES', details: { path: '../x.py', reason: 'bad-path' } });
    // Paths the folder leaves out: a save would say "Saved" and keep nothing a run from the folder has.
    for (const path of ['plugin.json', 'tests/x.py', '__pycache__/x.py', 'plugin.py']) {
      const refused = await errorOf(client.call('plugins.save', { code: 'pass\n', files: { [path]: '' }, manifest: { name: 'multi' }, previousName: 'multi' }));
      expect(refused.info, path).toMatchObject({ code: 'INVALID_PLUGIN_FILES', message: expect.stringMatching(/manifest|test cases|cache|code/), details: { path, reason: 'bad-path' } });
    }
    await client.call('plugins.delete', { name: 'multi' });
  });

  it('refuses a save based on a revision another program has written over since (EDIT_CONFLICT), and writes one based on the current', async () => {
    const saved = await client.call('plugins.save', { code: 'print(1)\n', manifest: { name: 'edited-elsewhere' } });
    expect(saved.revision).toMatch(/^[\w-]{10,}$/);
    expect((await client.call('plugins.get', { source: 'workspace', name: 'edited-elsewhere' })).summary.revision).toBe(saved.revision);
    // Another editor writes plugin.py meanwhile.
    await writeFile(join(fixture.api.context.home, 'workspace', 'edited-elsewhere', 'plugin.py'), 'print("from vim")\n');
    const theirs = await client.call('plugins.get', { source: 'workspace', name: 'edited-elsewhere' });
    expect(theirs.summary.revision).not.toBe(saved.revision);
    const refused = await errorOf(client.call('plugins.save', { code: 'print(2)\n', manifest: { name: 'edited-elsewhere' }, previousName: 'edited-elsewhere', basedOn: saved.revision }));
    expect(refused.info).toMatchObject({ code: 'EDIT_CONFLICT', message: expect.stringContaining('changed by another program'), hint: expect.any(String) });
    // A rename based on the old revision is refused too, and nothing moved.
    expect((await errorOf(client.call('plugins.save', { code: 'print(2)\n', manifest: { name: 'edited-renamed' }, previousName: 'edited-elsewhere', basedOn: saved.revision }))).code).toBe('EDIT_CONFLICT');
    expect((await client.call('plugins.get', { source: 'workspace', name: 'edited-elsewhere' })).code).toBe('print("from vim")\n');
    // Keeping one's own version: a save based on what is on disk now.
    const kept = await client.call('plugins.save', { code: 'print(2)\n', manifest: { name: 'edited-elsewhere' }, previousName: 'edited-elsewhere', basedOn: theirs.summary.revision });
    expect(kept.revision).not.toBe(theirs.summary.revision);
    expect((await client.call('plugins.get', { source: 'workspace', name: 'edited-elsewhere' })).code).toBe('print(2)\n');
    await client.call('plugins.delete', { name: 'edited-elsewhere' });
  });

  it('refuses a plugin name that could leave the workspace', async () => {
    const error = await errorOf(client.call('plugins.save', { code: '', manifest: { name: '../evil' } }));
    expect(error.code).toBe('BAD_INPUT');
  });

  it('updates settings section by section', async () => {
    const before = await client.call('settings.get', {});
    expect(before.ui.theme).toBe('dark');
    const after = await client.call('settings.update', { ui: { theme: 'light' }, sandbox: { warmPoolSize: 1 } });
    expect(after.ui.theme).toBe('light');
    expect(after.sandbox.engine).toBe(before.sandbox.engine);
    expect((await errorOf(client.call('settings.update', { sandbox: { warmPoolSize: 99 } }))).code).toBe('BAD_INPUT');
  });

  it('shows secrets masked, keeps them when the Settings screen sends the mask back, and stores them intact', async () => {
    const secrets = {
      ollama: { host: 'http://127.0.0.1:9', headers: { Authorization: 'Bearer sk-123' } },
      marketplace: { databaseUrl: 'postgres://alice:s3cret@127.0.0.1:9/market' },
      server: { token: 'server-token-0123456789' },
    };
    const saved = await client.call('settings.update', secrets);
    const shown = await client.call('settings.get', {});
    expect(saved).toEqual(shown);
    expect(shown).toMatchObject({
      ollama: { headers: { Authorization: SECRET_MASK } },
      marketplace: { databaseUrl: `postgres://alice:${SECRET_MASK}@127.0.0.1:9/market` },
      server: { token: SECRET_MASK },
    });
    expect(JSON.stringify(shown)).not.toMatch(/sk-123|s3cret|server-token/);

    // What the Ollama and Marketplace forms send back when only something else changed.
    await client.call('settings.update', { ollama: { host: '127.0.0.1:9', headers: shown.ollama.headers } });
    await client.call('settings.update', { marketplace: { databaseUrl: shown.marketplace.databaseUrl ?? '' } });
    expect((await client.call('settings.testDatabase', { databaseUrl: shown.marketplace.databaseUrl ?? '' })).reachable).toBe(false);
    expect((await errorOf(client.call('settings.update', { server: { token: 'short' } }))).code).toBe('BAD_INPUT');
    expect(await loadSettings(fixture.api.context.home)).toMatchObject({ ...secrets, ollama: { ...secrets.ollama, host: '127.0.0.1:9' } });
    await client.call('settings.update', { ollama: { host: '', headers: {} }, marketplace: { databaseUrl: '' } });
  });

  it('never sends a stored secret to a server the caller names', async () => {
    const secrets = { ollama: { host: 'http://127.0.0.1:9', headers: { Authorization: 'Bearer sk-123' } }, marketplace: { databaseUrl: 'postgres://alice:s3cret@127.0.0.1:9/market' } };
    await client.call('settings.update', secrets);
    const masked = `postgres://alice:${SECRET_MASK}@127.0.0.1:9/market`;
    for (const databaseUrl of [`postgres://alice:${SECRET_MASK}@elsewhere.example/market`, `${masked}?host=elsewhere.example`, `${masked}?port=5432`, `${masked}?user=mallory`]) {
      expect((await errorOf(client.call('settings.testDatabase', { databaseUrl }))).code).toBe('BAD_INPUT');
      expect((await errorOf(client.call('settings.update', { marketplace: { databaseUrl } }))).code).toBe('BAD_INPUT');
    }
    const elsewhere = 'http://elsewhere.example:11434';
    expect((await errorOf(client.call('settings.update', { ollama: { host: elsewhere, headers: { Authorization: SECRET_MASK } } }))).message).toContain('Authorization');
    expect((await errorOf(client.call('settings.update', { ollama: { host: elsewhere } }))).code).toBe('BAD_INPUT');
    expect(await loadSettings(fixture.api.context.home)).toMatchObject(secrets);
    // Typed again, the values go with the new host.
    await client.call('settings.update', { ollama: { host: elsewhere, headers: { Authorization: 'Bearer for-elsewhere' } } });
    expect((await loadSettings(fixture.api.context.home)).ollama.headers).toEqual({ Authorization: 'Bearer for-elsewhere' });
    await client.call('settings.update', { ollama: { host: '', headers: {} }, marketplace: { databaseUrl: '' } });
  });

  it('lists the starter templates and the models', async () => {
    const templates = await client.call('templates.list', {});
    expect(templates.map((t) => t.title)).toEqual([
      'Simple', 'Multi-step', 'Translate', 'Code review', 'JSON extraction',
      'Simple (original)', 'Multi-step (original)', 'Translate (original)', 'Code review (original)',
    ]);
    const models = await client.call('models.list', {});
    expect(models.find((m) => m.name === 'qwen2.5:1.5b')).toMatchObject({ approved: true, installed: true });
    expect((await client.call('models.health', {})).reachable).toBe(true);
  });

  it('prepares an engine by name and refuses an unknown one', async () => {
    expect(await client.call('engines.prepare', { engine: 'embedded' })).toMatchObject({ available: true });
    expect((await errorOf(client.call('engines.prepare', { engine: 'nope' as 'embedded' }))).code).toBe('BAD_INPUT');
  });

  it('serves the SDK stub for the editor', async () => {
    const stub = await client.call('sdk.stub', {});
    expect(stub.text).toContain('def call_ai');
  });
});
