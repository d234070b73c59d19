import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRecording, type Recording } from '../../src/ai/recording.ts';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits.ts';
import { readCaseFiles, runCases, summarizeCases, updateCases, type PluginTestOptions } from '../../src/sandbox/plugin-tests.ts';
import { caseFileName, caseFromRun, formatCase, parseCase } from '../../src/sandbox/test-case.ts';
import { checkResult, lineDiff } from '../../src/sandbox/test-check.ts';
import type { RunResult } from '../../src/shared/run.ts';
import { WasmForgeError } from '../../src/shared/errors.ts';

const signal = new AbortController().signal;
const okResult = (output: string, aiCalls = 0): RunResult => ({
  ok: true, output, logs: '', error: null, durationMs: 1, engine: 'embedded',
  aiCalls: Array.from({ length: aiCalls }, () => ({ model: 'm', promptChars: 1, responseChars: 1, durationMs: 1, ok: true })),
});
const answer = (prompt: string, response: string) => ({ model: 'qwen2.5:1.5b', prompt, response });

/** A stand-in for the sandbox: the "plugin" asks the case's broker `S: <input>` and outputs the answer. */
function summarizer(seen: string[] = []): PluginTestOptions {
  return {
    source: { code: 'unused', manifestModels: ['qwen2.5:1.5b'] },
    run: async (request) => {
      seen.push(request.input ?? '');
      const session = request.broker!.openSession({ limits: { ...DEFAULT_LIMITS, wallTimeMs: 1000, aiCalls: 1, promptChars: 100 }, signal });
      try {
        return okResult(await session.call({ model: 'qwen2.5:1.5b', prompt: `S: ${request.input}` }), 1);
      } catch (error) {
        return { ...okResult(''), ok: false, error: (error as WasmForgeError).toInfo() };
      }
    },
  };
}

async function pluginWith(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wf-plugin-'));
  await mkdir(join(dir, 'tests'));
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, 'tests', name), typeof content === 'string' ? content : JSON.stringify(content));
  return dir;
}

function invalid(text: string): WasmForgeError {
  try {
    parseCase(text, 'case.json');
  } catch (error) {
    return error as WasmForgeError;
  }
  throw new Error('parsed');
}

describe('the test-case format', () => {
  it('says where a case file is wrong: "expect" must be an object of checks, typos and wrong types by path', () => {
    const notObject = invalid(JSON.stringify({ input: 'x', expect: 'hello' }));
    expect(notObject.code).toBe('INVALID_TEST_CASE');
    expect(notObject.details).toEqual({ file: 'case.json', issues: [{ path: 'expect', message: expect.stringContaining('must be an object of checks, such as {"output": "…"}') }] });
    const missing = invalid(JSON.stringify({ input: 'x' }));
    expect(missing.details).toMatchObject({ issues: [{ path: 'expect' }] });
    const typos = invalid(JSON.stringify({ input: 'x', ai: [{ model: 'm', prompt: 3, response: 'r' }], expect: { outptu: 'x', contains: 'y' } }));
    expect(typos.details && 'issues' in typos.details ? typos.details.issues.map((i) => i.path) : []).toEqual(expect.arrayContaining(['ai[0].prompt', 'expect', 'expect.contains']));
    expect(typos.message).toMatch(/case\.json is not a valid test case:\n {2}/);
    expect(typos.message).toContain('unknown field "outptu"');
    expect(invalid('{ not json').details).toMatchObject({ issues: [{ path: '(file)', message: expect.stringContaining('not JSON') }] });
  });

  it('takes "$schema", JSON inputs and a recording named anything', () => {
    expect(parseCase(JSON.stringify({ $schema: '../sdk/test-case.schema.json', input: { a: 1 }, expect: {} }), 'c.json').input).toEqual({ a: 1 });
  });

  it('a case made from a run replays that run: input, answers (and installed models), output', async () => {
    const recording: Recording = {
      format: 'wasmforge-ai-recording', version: 1, models: ['qwen2.5:1.5b', 'gemma2:2b'],
      calls: [{ kind: 'generate', request: { model: 'qwen2.5:1.5b', prompt: 'S: report' }, response: { text: 'short', promptTokens: 3 } }],
    };
    const testCase = caseFromRun({ name: 'Short report', input: 'report', output: 'short', errorCode: null, recording });
    expect(testCase).toEqual({ name: 'Short report', input: 'report', ai: [answer('S: report', 'short')], models: ['qwen2.5:1.5b', 'gemma2:2b'], expect: { output: 'short' } });
    expect(caseFileName('Short report')).toBe('short-report.json');
    const dir = await pluginWith({ [caseFileName('Short report')]: formatCase(testCase) });
    const report = await runCases(await readCaseFiles(dir), summarizer());
    expect(report).toMatchObject({ passed: 1, failed: 0, results: [{ name: 'Short report', passed: true }] });
    expect(caseFromRun({ name: 'f', input: '', output: '', errorCode: 'TIMEOUT' }).expect).toEqual({ error: 'TIMEOUT' });
  });
});

describe('checking a run against a case', () => {
  it('checks output, substrings, patterns, JSON, error codes and call counts', () => {
    expect(checkResult({ output: 'hi', contains: ['h'], matches: '^h', aiCalls: 0 }, okResult('hi'))).toEqual([]);
    expect(checkResult({ json: { a: 1 } }, okResult('{"a": 1}'))).toEqual([]);
    expect(checkResult({ output: 'hi', notContains: ['x'] }, okResult('hix')).map((f) => [f.check, f.message])).toEqual([
      ['output', 'output was "hix", expected "hi"'], ['notContains', 'output contains "x"'],
    ]);
    const failed: RunResult = { ...okResult(''), ok: false, error: { code: 'REPLAY_MISS', message: 'no answer' } };
    expect(checkResult({ error: 'REPLAY_MISS' }, failed)).toEqual([]);
    expect(checkResult({}, failed)).toEqual([{ check: 'error', message: 'the run failed: REPLAY_MISS: no answer', error: failed.error }]);
    expect(checkResult({ error: 'TIMEOUT' }, okResult('')).map((f) => f.message)).toEqual(['expected error TIMEOUT, got success']);
  });

  it('an exact check that fails carries a line diff of expected and actual', () => {
    const [failure] = checkResult({ output: 'a\nb\nc' }, okResult('a\nB\nc\nd'));
    expect(failure?.diff).toEqual([
      { op: 'same', text: 'a' }, { op: 'removed', text: 'b' }, { op: 'added', text: 'B' }, { op: 'same', text: 'c' }, { op: 'added', text: 'd' },
    ]);
    const [json] = checkResult({ json: { a: 1, b: 2 } }, okResult('{"a":1,"b":3}'));
    expect(json?.diff?.filter((line) => line.op !== 'same')).toEqual([{ op: 'removed', text: '  "b": 2' }, { op: 'added', text: '  "b": 3' }]);
    expect(lineDiff('same', 'same')).toEqual([{ op: 'same', text: 'same' }]);
  });
});

describe('running a plugin\'s cases', () => {
  it('runs every case with its own answers, several at once, results in file order; a broken case file fails alone', async () => {
    const dir = await pluginWith({
      'a-good.json': { name: 'summarizes', input: 'text', ai: [answer('S: text', 'short')], expect: { output: 'short' } },
      'b-broken.json': '{ not json',
      'c-typo.json': { input: '', expcet: {} },
      'd-other.json': { input: 'more', ai: [answer('S: more', 'less')], expect: { output: 'less' } },
    });
    let running = 0;
    let most = 0;
    const inner = summarizer();
    const report = await runCases(await readCaseFiles(dir), {
      ...inner,
      concurrency: 4,
      run: async (request) => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        return inner.run(request);
      },
    });
    expect(report.results.map((r) => [r.name, r.passed])).toEqual([['summarizes', true], ['b-broken', false], ['c-typo', false], ['d-other', true]]);
    expect(report.results[1]!.failures[0]).toMatchObject({ check: 'case', error: { code: 'INVALID_TEST_CASE', details: { file: 'b-broken.json' } } });
    expect(report.results[2]!.failures[0]!.message).toContain('unknown field "expcet"');
    expect(most).toBe(2);
    expect(report).toMatchObject({ passed: 2, failed: 2 });
  });

  it('a recording is found by its content, whatever its name, and is not listed as a case', async () => {
    const recording: Recording = { format: 'wasmforge-ai-recording', version: 1, models: [], calls: [{ kind: 'generate', request: { model: 'qwen2.5:1.5b', prompt: 'S: doc' }, response: { text: 'sum' } }] };
    const dir = await pluginWith({ 'calls.json': formatRecording(recording), 'doc.json': { input: 'doc', recording: 'calls.json', expect: { output: 'sum' } }, 'gone.json': { input: 'doc', recording: 'nope.json', expect: {} } });
    const files = await readCaseFiles(dir);
    expect(summarizeCases(files).map((c) => [c.file, c.checks, c.aiAnswers])).toEqual([['doc.json', ['output'], 0], ['gone.json', [], 0]]);
    const report = await runCases(files, summarizer());
    expect(report.results[0]).toMatchObject({ passed: true });
    expect(report.results[1]!.failures[0]).toMatchObject({ error: { code: 'INVALID_TEST_CASE', details: { issues: [{ path: 'recording' }] } } });
  });

  it('a replay miss names the call, the model and what differs', async () => {
    const dir = await pluginWith({ 'x.json': { input: 'May report', ai: [answer('S: April report', 'r')], expect: { output: 'r' } } });
    const [result] = (await runCases(await readCaseFiles(dir), summarizer())).results;
    expect(result!.failures[0]).toMatchObject({
      check: 'error', error: { code: 'REPLAY_MISS', details: { call: 1, model: 'qwen2.5:1.5b', field: 'prompt', recorded: 'S: April report', actual: 'S: May report' } },
    });
  });

  it('--update rewrites the exact expectations from what the plugin does now and keeps the loose ones', async () => {
    const dir = await pluginWith({
      'exact.json': { $schema: 's.json', input: 'a', ai: [answer('S: a', 'new')], expect: { output: 'old', aiCalls: 3 } },
      'loose.json': { input: 'b', ai: [answer('S: b', 'new b')], expect: { contains: ['new'] } },
      'json.json': { input: 'c', ai: [answer('S: c', '{"v": 2}')], expect: { json: { v: 1 } } },
    });
    const report = await updateCases(await readCaseFiles(dir), summarizer());
    expect(report.updated.map((u) => u.file)).toEqual(['exact.json', 'json.json']);
    expect(JSON.parse(report.updated[0]!.text)).toEqual({ $schema: 's.json', input: 'a', ai: [answer('S: a', 'new')], expect: { output: 'new', aiCalls: 1 } });
    expect(JSON.parse(report.updated[1]!.text).expect).toEqual({ json: { v: 2 } });
    expect(report).toMatchObject({ passed: 3, failed: 0 });
  });

  it('--update never records a replay miss as what the plugin does: the case fails, says why, and is not rewritten', async () => {
    const dir = await pluginWith({
      'miss.json': { input: 'May', ai: [answer('S: April', 'r')], expect: { output: 'r' } },
      'changed.json': { input: 'a', ai: [answer('S: a', 'new')], expect: { output: 'old' } },
    });
    const report = await updateCases(await readCaseFiles(dir), summarizer());
    expect(report.updated.map((u) => u.file)).toEqual(['changed.json']);
    expect(report).toMatchObject({ passed: 1, failed: 1 });
    expect(report.results[1]).toMatchObject({ file: 'miss.json', passed: false });
    expect(report.results[1]!.failures[0]).toMatchObject({ check: 'case', error: { code: 'REPLAY_MISS' } });
    expect(report.results[1]!.failures[0]!.message).toMatch(/^not updated: REPLAY_MISS/);
  });
});
