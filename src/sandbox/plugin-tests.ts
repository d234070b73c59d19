import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { toErrorInfo, WasmForgeError, type ErrorCode } from '../shared/errors.ts';
import type { CaseFailure, CaseResult, CaseSummary, TestReport } from '../shared/api/schemas/tests.ts';
import type { RunResult } from '../shared/run.ts';
import { elapsedMs, type RunRequest } from './runtime.ts';
import { AiBroker } from '../ai/broker.ts';
import { emptyRecording, type Recording } from '../ai/recording.ts';
import { ReplayProvider } from '../ai/replay.ts';
import { ORIGINAL_MODELS } from '../ai/test-provider.ts';
import { caseInput, caseRecording, formatCase, isRecording, parseCase, type PluginTestCase } from './test-case.ts';
import { checkResult, refreshedExpectation } from './test-check.ts';

/**
 * Runs a plugin's test cases (the format: test-case.ts) offline, each with its own recorded AI
 * answers, several at once. The cases come as text, read from a folder (`tests/`) or sent whole
 * by a client, so the same code serves the Builder's Tests panel and `wasmforge test`.
 */
export interface CaseFile {
  file: string;
  text: string;
}

export interface CaseFiles {
  cases: CaseFile[];
  /** Files that are AI recordings (told apart by their content, whatever their name). */
  recordings: CaseFile[];
}

export interface PluginTestOptions {
  /** Runs the plugin (SandboxRuntime.run, bound). */
  run: (request: RunRequest) => Promise<RunResult>;
  /** The plugin as the runtime takes it: code, file name, engine, limits, manifest models and limits. */
  source: Pick<RunRequest, 'code' | 'files' | 'filename' | 'engine' | 'limits' | 'manifestModels' | 'manifestLimits'>;
  /** The user's approved models; the models a case answers for are approved in that case too. */
  allowList?: string[];
  /** Called as each case finishes. */
  onCase?: (result: CaseResult) => void;
  /** Cases run at once (default: one per core); the sandbox pool should be at least this large. */
  concurrency?: number;
  signal?: AbortSignal;
}

/** The case files and recordings in `<pluginDir>/tests`, by name (none when there is no such folder). */
export async function readCaseFiles(pluginDir: string): Promise<CaseFiles> {
  const folder = join(pluginDir, 'tests');
  const names = (await readdir(folder).catch(() => [] as string[])).filter((file) => file.endsWith('.json')).sort();
  const files = await Promise.all(names.map(async (file) => ({ file, text: await readFile(join(folder, file), 'utf8') })));
  return splitCaseFiles(files);
}

export function splitCaseFiles(files: CaseFile[]): CaseFiles {
  const recordings = files.filter((file) => isRecording(parseOrUndefined(file.text)));
  return { cases: files.filter((file) => !recordings.includes(file)), recordings };
}

/** What the Tests panel lists: each case's name and checks, or what is wrong with its file. */
export function summarizeCases(files: CaseFiles): CaseSummary[] {
  return files.cases.map(({ file, text }) => {
    const digest = caseDigest(text);
    try {
      const testCase = parseCase(text, file);
      const checks = Object.entries(testCase.expect).filter(([, value]) => value !== undefined).map(([check]) => check) as CaseSummary['checks'];
      return { file, name: testCase.name ?? caseName(file), checks, aiAnswers: caseRecording(testCase).calls.length, digest };
    } catch (error) {
      return { file, name: caseName(file), checks: [], aiAnswers: 0, digest, problem: toErrorInfo(error) };
    }
  });
}

/** A short fingerprint of a case file's text (not a security measure: only "is this the same case?"). */
export function caseDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * Every answer the cases hold (inline and from their recordings) as one recording, for a run that
 * answers from them while its author has no model (the Builder's replay mode). Broken cases are skipped.
 */
export function recordingOfCases(files: CaseFiles): Recording {
  const all = emptyRecording();
  for (const { file, text } of files.cases) {
    try {
      const testCase = parseCase(text, file);
      const recording = caseRecording(testCase, testCase.recording ? recordingText(testCase.recording, files, file) : undefined);
      all.calls.push(...recording.calls);
      all.models.push(...recording.models.filter((model) => !all.models.includes(model)));
    } catch {
      // A case the Tests panel reports as broken gives no answers.
    }
  }
  return all;
}

/** Runs the cases (only `only` when given), several at once; a broken case file is a failed case, never a crash. */
export async function runCases(files: CaseFiles, options: PluginTestOptions, only?: string[]): Promise<TestReport> {
  const started = performance.now();
  const cases = only ? files.cases.filter((c) => only.includes(c.file)) : files.cases;
  const results = await inParallel(cases, options.concurrency ?? availableParallelism(), async (file) => {
    const result = await runCase(file, files, options);
    options.onCase?.(result);
    return result;
  });
  const failed = results.filter((result) => !result.passed).length;
  return { results, passed: results.length - failed, failed, durationMs: elapsedMs(started) };
}

/** Runs every case and gives back the cases whose exact expectations changed, with their new text. */
export async function updateCases(files: CaseFiles, options: PluginTestOptions): Promise<TestReport & { updated: CaseFile[] }> {
  const report = await runCases(files, options);
  const updated: CaseFile[] = [];
  for (const [index, result] of report.results.entries()) {
    const file = files.cases.find((c) => c.file === result.file)!;
    if (!result.result || result.failures.some((f) => f.check === 'case')) continue;
    const testCase = JSON.parse(file.text) as PluginTestCase;
    const expected = parseCase(file.text, file.file).expect;
    const refusal = notPluginBehaviour(expected, result.result);
    if (refusal) {
      report.results[index] = { ...result, passed: false, failures: [refusal, ...result.failures.filter((f) => f.check !== 'error')] };
      continue;
    }
    const expect = refreshedExpectation(expected, result.result);
    if (JSON.stringify(expect) === JSON.stringify(testCase.expect)) continue;
    updated.push({ file: file.file, text: formatCase({ ...testCase, expect }) });
    const failures = checkResult(expect, result.result);
    report.results[index] = { ...result, passed: failures.length === 0, failures };
  }
  const failed = report.results.filter((result) => !result.passed).length;
  return { ...report, passed: report.results.length - failed, failed, updated };
}

/**
 * Errors of the test run itself (a replay that has no answer, an engine that is missing or crashed,
 * a cancel): the plugin did not behave so, so neither --update nor a run kept as a case
 * (`run --save-test`, the Builder's Save as test case: caseFromRunRefusal) records them as what it does.
 */
const NOT_PLUGIN_BEHAVIOUR: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'REPLAY_MISS', 'AI_UNAVAILABLE', 'CANCELLED', 'ENGINE_UNAVAILABLE', 'ENGINE_CRASHED', 'INTERNAL', 'BUSY', 'BACKEND_RESTARTED',
]);

/** Why a run cannot become a case's expectation (a failed `case` check), or nothing when it can. */
function notPluginBehaviour(expected: PluginTestCase['expect'], result: RunResult): CaseFailure | undefined {
  const error = result.error ?? undefined;
  if (!error || !NOT_PLUGIN_BEHAVIOUR.has(error.code) || expected.error === error.code) return undefined;
  const why = error.code === 'REPLAY_MISS' ? 'the recorded AI answers no longer match the run: record the case again (run --save-test)' : 'the test run failed, not the plugin';
  return { check: 'case', message: `not updated: ${error.code}: ${error.message} (${why})`, error };
}

/** Why a run's error is not the plugin's doing, and what to do instead (the rest: the sandbox failed). */
const RUN_FAILURES: Partial<Record<ErrorCode, { why: string; hint: string }>> = {
  AI_UNAVAILABLE: { why: 'Ollama could not be reached', hint: 'Start Ollama (`ollama serve`), run the plugin again, and save that run.' },
  REPLAY_MISS: {
    why: 'the recorded AI answers do not answer this run',
    hint: 'Run it with Ollama (or with a recording of this very input), and save that run.',
  },
  CANCELLED: { why: 'the run was cancelled', hint: 'Run the plugin again, let it finish, and save that run.' },
};

/**
 * The refusal to keep a run as a test case (`errorCode`: how it ended) when it ended in an error of
 * the run itself: a case expecting it could never pass (a case replays its answers, so it fails
 * otherwise, e.g. REPLAY_MISS for AI_UNAVAILABLE). None for a run that succeeded or failed on its own.
 */
export function caseFromRunRefusal(name: string, errorCode: ErrorCode | null | undefined): WasmForgeError | undefined {
  if (!errorCode || !NOT_PLUGIN_BEHAVIOUR.has(errorCode)) return undefined;
  const { why, hint } = RUN_FAILURES[errorCode] ?? { why: 'the sandbox failed', hint: 'Run the plugin again once the sandbox works, and save that run.' };
  return new WasmForgeError('BAD_INPUT', `Test case "${name.trim()}" not saved: the run ended in ${errorCode} (${why}), not in anything the plugin does, so the case could never pass`, { hint });
}

async function runCase({ file, text }: CaseFile, files: CaseFiles, options: PluginTestOptions): Promise<CaseResult> {
  const started = performance.now();
  let name = caseName(file);
  const digest = caseDigest(text);
  try {
    const testCase = parseCase(text, file);
    name = testCase.name ?? name;
    const recording = caseRecording(testCase, testCase.recording ? recordingText(testCase.recording, files, file) : undefined);
    const provider = new ReplayProvider(recording, `test case "${name}"`);
    // A case's own models are approved for it, so it passes the same on every machine; the manifest still narrows.
    const allowList = [...new Set([...(options.allowList ?? ORIGINAL_MODELS), ...(await provider.listInstalledModels())])];
    const broker = new AiBroker({ provider, allowList });
    const result = await options.run({ ...options.source, input: caseInput(testCase), broker, signal: options.signal });
    const failures = checkResult(testCase.expect, result);
    return { file, name, passed: failures.length === 0, failures, durationMs: elapsedMs(started), digest, result };
  } catch (error) {
    const info = toErrorInfo(error);
    return { file, name, passed: false, failures: [{ check: 'case', message: `${info.code}: ${info.message}`, error: info }], durationMs: elapsedMs(started), digest };
  }
}

function recordingText(name: string, files: CaseFiles, caseFile: string): string {
  const found = files.recordings.find((r) => r.file === name);
  if (!found) {
    throw new WasmForgeError('INVALID_TEST_CASE', `${caseFile} names the recording "${name}", which is not an AI recording in the tests folder`, {
      details: { file: caseFile, issues: [{ path: 'recording', message: `no AI recording named "${name}" in the tests folder` }] },
    });
  }
  return found.text;
}

/** Runs `work` on every item with at most `limit` under way, results in the items' order. */
async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function caseName(file: string): string {
  return file.replace(/\.json$/, '');
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
