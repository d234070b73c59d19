import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRecording } from '../ai/recording.ts';
import type { AiProvider } from '../ai/provider.ts';
import { startApiServer, type ApiServer } from '../server/server.ts';
import { ApiError } from '../shared/api/api-error.ts';
import { createHttpClient } from '../shared/api/http-client.ts';
import type { CaseResult } from '../shared/api/schemas/tests.ts';
import type { ApiClient } from '../shared/api/types.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { createAppApi, type AppApi } from './index.ts';

// The tests.* routes and replay mode over HTTP, with the real sandbox and a model that is never
// there: every answer comes from what the cases recorded.
const noModel: AiProvider = {
  listInstalledModels: async () => {
    throw new WasmForgeError('AI_UNAVAILABLE', 'no model here');
  },
  generate: async () => {
    throw new WasmForgeError('AI_UNAVAILABLE', 'no model here');
  },
};
const code = (suffix = '') => `from platform_sdk import call_ai, get_input, send_output\nsend_output(call_ai("qwen2.5:1.5b", "Summarize: " + get_input())${suffix})\n`;
const recording = formatRecording({
  format: 'wasmforge-ai-recording', version: 1, models: ['qwen2.5:1.5b'],
  calls: [{ kind: 'generate', request: { model: 'qwen2.5:1.5b', prompt: 'Summarize: May' }, response: { text: 'Short May.' } }],
});

let home: string;
let api: AppApi;
let server: ApiServer;
let client: ApiClient;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-tests-routes-'));
  api = await createAppApi({ home, host: 'server', ai: noModel, sandbox: { warmPoolSize: 2 }, log: () => undefined, outboxRetryMs: 3_600_000 });
  server = await startApiServer({ dispatcher: api.dispatcher, port: 0 });
  client = createHttpClient({ baseUrl: server.url, token: server.token });
  await client.call('plugins.save', { code: code(), manifest: { name: 'summary', description: 'sums up', models: ['qwen2.5:1.5b'] } });
});
afterAll(async () => {
  await server?.close();
  await api?.close();
  await rm(home, { recursive: true, force: true });
});

describe('tests.* routes and replay mode', () => {
  it('saves a run as a case, lists it, runs it (streaming each case), and refuses a second case of that name', async () => {
    const saved = await client.call('tests.saveFromRun', { plugin: 'summary', name: 'May report', input: 'May', output: 'Short May.', errorCode: null, recording });
    expect(saved.file).toBe('may-report.json');
    expect(JSON.parse(await readFile(join(home, 'workspace', 'summary', 'tests', 'may-report.json'), 'utf8'))).toMatchObject({ input: 'May', expect: { output: 'Short May.' } });
    expect(await client.call('tests.list', { plugin: 'summary' })).toEqual([{ file: 'may-report.json', name: 'May report', checks: ['output'], aiAnswers: 1, digest: expect.stringMatching(/^[0-9a-f]{16}$/) }]);

    const streamed: CaseResult[] = [];
    const report = await client.stream('tests.run', { suite: { plugin: 'summary' } }, { onEvent: (event) => streamed.push(event.result) });
    expect(report).toMatchObject({ passed: 1, failed: 0 });
    expect(streamed.map((r) => [r.file, r.passed])).toEqual([['may-report.json', true]]);

    const again = await client.call('tests.saveFromRun', { plugin: 'summary', name: 'May report', input: 'x', output: '', errorCode: null }).catch((e: unknown) => e);
    expect((again as ApiError).code).toBe('ALREADY_EXISTS');
    expect(report.durationMs).toBe(Math.round(report.durationMs * 10) / 10);
  });

  it('refuses to keep a run that ended because Ollama was away (the case could never pass), writing nothing', async () => {
    const refused = await client.call('tests.saveFromRun', { plugin: 'summary', name: 'Ollama away', input: 'May', output: '', errorCode: 'AI_UNAVAILABLE' }).catch((e: unknown) => e);
    expect((refused as ApiError).info).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('AI_UNAVAILABLE'), hint: expect.stringContaining('Start Ollama') });
    await expect(readFile(join(home, 'workspace', 'summary', 'tests', 'ollama-away.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('replay mode answers a run from the cases, marked replayed; a call they lack is a REPLAY_MISS naming it', async () => {
    const run = await client.stream('runs.run', { plugin: { source: 'workspace', name: 'summary' }, input: 'May', replayTests: true, remember: false }, { onEvent: () => undefined });
    expect(run.result.output).toBe('Short May.');
    expect(run.result.aiCalls[0]?.replayed).toBe(true);
    // What it got comes back as its recording, so a run in replay mode can be kept as a case too.
    expect(JSON.parse(run.recording ?? '{}')).toMatchObject({ calls: [{ request: { prompt: 'Summarize: May' }, response: { text: 'Short May.' } }] });
    const miss = await client.stream('runs.run', { code: code(), manifest: { name: 'summary' }, input: 'June', replayTests: true, remember: false }, { onEvent: () => undefined });
    expect(miss.result.error).toMatchObject({ code: 'REPLAY_MISS', details: { call: 1, model: 'qwen2.5:1.5b', field: 'prompt', recorded: 'Summarize: May', actual: 'Summarize: June' } });
    const draft = await client.stream('runs.run', { code: code(), input: 'May', replayTests: true }, { onEvent: () => undefined }).catch((e: unknown) => e);
    expect((draft as ApiError).code).toBe('BAD_INPUT');
  });

  it('tests.update refreshes the exact expectation of a workspace plugin\'s case on disk', async () => {
    await client.call('plugins.save', { code: code(' + "!"'), manifest: { name: 'summary', description: 'sums up', models: ['qwen2.5:1.5b'] }, previousName: 'summary' });
    const failing = await client.stream('tests.run', { suite: { plugin: 'summary' } }, { onEvent: () => undefined });
    expect(failing.results[0]?.failures[0]?.diff).toEqual([{ op: 'removed', text: 'Short May.' }, { op: 'added', text: 'Short May.!' }]);
    const updated = await client.call('tests.update', { suite: { plugin: 'summary' } });
    expect(updated).toMatchObject({ passed: 1, failed: 0, updated: [{ file: 'may-report.json' }] });
    expect(JSON.parse(await readFile(join(home, 'workspace', 'summary', 'tests', 'may-report.json'), 'utf8')).expect).toEqual({ output: 'Short May.!' });
  });
});
