import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkResult, runPluginTests } from '../../src/sandbox/plugin-tests.ts';
import { formatRecording, loadRecording } from '../../src/ai/recording.ts';
import { RecordingProvider, ReplayProvider } from '../../src/ai/replay.ts';
import { TestAiProvider } from '../../src/ai/test-provider.ts';
import type { RunResult } from '../../src/shared/run.ts';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits.ts';
import { failureOf } from './helpers.ts';

const signal = new AbortController().signal;
const okResult = (output: string): RunResult => ({ ok: true, output, logs: '', error: null, aiCalls: [], durationMs: 1, engine: 'embedded' });

describe('record and replay', () => {
  it('replays what was recorded, through a file, marked as replayed', async () => {
    const recorder = new RecordingProvider(new TestAiProvider({ answer: (r) => `answer to ${r.prompt}` }));
    await recorder.listInstalledModels();
    await recorder.generate({ model: 'gemma2:2b', prompt: 'one', temperature: 0.3 }, { signal });
    await recorder.embed({ model: 'nomic-embed-text:latest', input: ['x'] }, { signal });
    const file = join(await mkdtemp(join(tmpdir(), 'wf-rec-')), 'calls.json');
    await writeFile(file, formatRecording(recorder.recording()));

    const replay = new ReplayProvider(await loadRecording(file), file);
    expect(await replay.listInstalledModels()).toEqual(expect.arrayContaining(['gemma2:2b', 'nomic-embed-text:latest']));
    const tokens: string[] = [];
    // Sampling options do not choose the answer: a different temperature still matches.
    const answer = await replay.generate({ model: 'gemma2:2b', prompt: 'one' }, { signal, onToken: (t) => tokens.push(t) });
    expect(answer).toMatchObject({ text: 'answer to one', replayed: true });
    expect(tokens.join('')).toBe('answer to one');
    expect((await replay.embed({ model: 'nomic-embed-text', input: ['x'] })).replayed).toBe(true);
  });

  it('a call that is not in the recording is REPLAY_MISS naming it', async () => {
    const replay = new ReplayProvider({ format: 'wasmforge-ai-recording', version: 1, models: [], calls: [] }, 'calls.json');
    const error = await failureOf(replay.generate({ model: 'gemma2:2b', prompt: 'Summarize: the report' }, { signal }));
    expect(error.code).toBe('REPLAY_MISS');
    expect(error.message).toBe('No recorded answer for a call to "gemma2:2b" with prompt "Summarize: the report" in calls.json');
  });

  it('the same call recorded twice answers in order, then keeps the last answer', async () => {
    const call = (text: string) => ({ kind: 'generate' as const, request: { model: 'm:1', prompt: 'p' }, response: { text } });
    const replay = new ReplayProvider({ format: 'wasmforge-ai-recording', version: 1, models: [], calls: [call('first'), call('second')] }, 'f');
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await replay.generate({ model: 'm:1', prompt: 'p' }, { signal })).text);
    expect(texts).toEqual(['first', 'second', 'second']);
  });

  it('a file that is not a recording is BAD_INPUT; a missing one NOT_FOUND', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wf-rec-'));
    await writeFile(join(dir, 'bad.json'), '{"format": "something else"}');
    expect((await failureOf(loadRecording(join(dir, 'bad.json')))).code).toBe('BAD_INPUT');
    expect((await failureOf(loadRecording(join(dir, 'none.json')))).code).toBe('NOT_FOUND');
  });
});

describe('plugin test cases', () => {
  it('checks output, substrings, patterns, JSON, error codes and call counts', () => {
    expect(checkResult({ output: 'hi', contains: ['h'], matches: '^h', aiCalls: 0 }, okResult('hi'))).toEqual([]);
    expect(checkResult({ json: { a: 1 } }, okResult('{"a": 1}'))).toEqual([]);
    expect(checkResult({ output: 'hi', notContains: ['x'] }, okResult('hix'))).toEqual([
      'output was "hix", expected "hi"', 'output contains "x"',
    ]);
    const failed: RunResult = { ...okResult(''), ok: false, error: { code: 'REPLAY_MISS', message: 'no answer' } };
    expect(checkResult({ error: 'REPLAY_MISS' }, failed)).toEqual([]);
    expect(checkResult({}, failed)).toEqual(['the run failed: REPLAY_MISS: no answer']);
    expect(checkResult({ error: 'TIMEOUT' }, okResult(''))).toEqual(['expected error TIMEOUT, got success']);
  });

  it('runs every case with its own answers; a broken case file fails alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wf-plugin-'));
    const tests = join(dir, 'tests');
    await mkdir(tests);
    await writeFile(join(tests, 'a-good.json'), JSON.stringify({
      name: 'summarizes', input: 'text', ai: [{ model: 'qwen2.5:1.5b', prompt: 'S: text', response: 'short' }], expect: { output: 'short' },
    }));
    await writeFile(join(tests, 'b-broken.json'), '{ not json');
    await writeFile(join(tests, 'c-typo.json'), JSON.stringify({ input: '', expcet: {} }));
    const seen: unknown[] = [];
    const results = await runPluginTests(dir, {
      source: { code: 'unused', manifestModels: ['qwen2.5:1.5b'] },
      run: async (request) => {
        seen.push(request);
        const session = request.broker!.openSession({ limits: { ...DEFAULT_LIMITS, wallTimeMs: 1000, aiCalls: 1, promptChars: 100 }, signal });
        return okResult(await session.call({ model: 'qwen2.5:1.5b', prompt: `S: ${request.input}` }));
      },
    });
    expect(results.map((r) => [r.name, r.passed])).toEqual([['summarizes', true], ['b-broken', false], ['c-typo', false]]);
    expect(results[1]!.failures[0]).toContain('BAD_INPUT: b-broken.json is not JSON');
    expect(seen).toHaveLength(1);
  });
});
