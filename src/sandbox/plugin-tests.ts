import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { errorCodeSchema, toErrorInfo, WasmForgeError } from '../shared/errors.ts';
import type { RunResult } from '../shared/run.ts';
import type { RunRequest } from './runtime.ts';
import { AiBroker } from '../ai/broker.ts';
import { emptyRecording, loadRecording, recordedRequestSchema, type RecordedCall, type Recording } from '../ai/recording.ts';
import { ReplayProvider } from '../ai/replay.ts';
import { ORIGINAL_MODELS } from '../ai/test-provider.ts';

/**
 * Plugin test cases: `tests/*.json` in the plugin folder, each an input, the AI answers the
 * plugin will get (inline or a recording file beside the case), and what the run must produce.
 */
const answerSchema = z.union([
  recordedRequestSchema.extend({ response: z.string() }).strict(),
  z.object({ model: z.string().min(1), embed: z.union([z.string(), z.array(z.string())]), embeddings: z.array(z.array(z.number())) }).strict(),
]);

export const testCaseSchema = z.object({
  name: z.string().max(200).optional(),
  /** Text, or any JSON value (sent as its JSON text). */
  input: z.unknown().default(''),
  ai: z.array(answerSchema).default([]),
  /** A recording (from `run --record`) in the tests folder. */
  recording: z.string().regex(/^[\w.-]+\.json$/, 'a file name in the tests folder').optional(),
  expect: z.object({
    output: z.string().optional(),
    contains: z.array(z.string()).optional(),
    notContains: z.array(z.string()).optional(),
    matches: z.string().optional(),
    json: z.unknown().optional(),
    /** The run must fail with this code; without it, the run must succeed. */
    error: errorCodeSchema.optional(),
    aiCalls: z.number().int().nonnegative().optional(),
  }).strict(),
}).strict();

export type PluginTestCase = z.infer<typeof testCaseSchema>;

export interface CaseResult {
  name: string;
  file: string;
  passed: boolean;
  failures: string[];
  durationMs: number;
  result?: RunResult;
}

export interface PluginTestOptions {
  /** Runs the plugin (SandboxRuntime.run, bound). */
  run: (request: RunRequest) => Promise<RunResult>;
  /** The plugin as the runtime takes it: code, file name, manifest models and limits. */
  source: Pick<RunRequest, 'code' | 'filename' | 'manifestModels' | 'manifestLimits'>;
  /** The user's approved models; the models a case answers for are approved in that case too. */
  allowList?: string[];
  /** Called as each case finishes. */
  onCase?: (result: CaseResult) => void;
}

export async function listTestCases(pluginDir: string): Promise<string[]> {
  const folder = join(pluginDir, 'tests');
  const entries = await readdir(folder).catch(() => [] as string[]);
  return entries.filter((file) => file.endsWith('.json') && !file.endsWith('.recording.json')).sort().map((file) => join(folder, file));
}

/** Runs every case; a broken case file is a failed case, never a crash. */
export async function runPluginTests(pluginDir: string, options: PluginTestOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const file of await listTestCases(pluginDir)) {
    const result = await runCase(file, options);
    options.onCase?.(result);
    results.push(result);
  }
  return results;
}

async function runCase(file: string, options: PluginTestOptions): Promise<CaseResult> {
  const started = performance.now();
  let name = basename(file, '.json');
  try {
    const testCase = await readCase(file);
    name = testCase.name ?? name;
    const recording = await caseRecording(testCase, file);
    const provider = new ReplayProvider(recording, `test case "${name}"`);
    // A case's own models are approved for it, so it passes the same on every machine; the manifest still narrows.
    const allowList = [...new Set([...(options.allowList ?? ORIGINAL_MODELS), ...(await provider.listInstalledModels())])];
    const broker = new AiBroker({ provider, allowList });
    const input = typeof testCase.input === 'string' ? testCase.input : JSON.stringify(testCase.input);
    const result = await options.run({ ...options.source, input, broker });
    const failures = checkResult(testCase.expect, result);
    return { name, file, passed: failures.length === 0, failures, durationMs: performance.now() - started, result };
  } catch (error) {
    const info = toErrorInfo(error);
    return { name, file, passed: false, failures: [`${info.code}: ${info.message}`], durationMs: performance.now() - started };
  }
}

async function readCase(file: string): Promise<PluginTestCase> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new WasmForgeError('BAD_INPUT', `${basename(file)} is not JSON: ${(error as Error).message}`);
  }
  const parsed = testCaseSchema.safeParse(data);
  if (!parsed.success) throw new WasmForgeError('BAD_INPUT', `${basename(file)} is not a test case:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function caseRecording(testCase: PluginTestCase, file: string): Promise<Recording> {
  const base = testCase.recording ? await loadRecording(join(file, '..', testCase.recording)) : emptyRecording();
  const inline = testCase.ai.map((answer): RecordedCall => {
    if ('embed' in answer) {
      const input = typeof answer.embed === 'string' ? [answer.embed] : answer.embed;
      return { kind: 'embed', request: { model: answer.model, input }, response: { embeddings: answer.embeddings } };
    }
    const { response, ...request } = answer;
    return { kind: 'generate', request, response: { text: response } };
  });
  return { ...base, calls: [...inline, ...base.calls] };
}

/** Every expectation that does not hold, in words. */
export function checkResult(expect: PluginTestCase['expect'], result: RunResult): string[] {
  const failures: string[] = [];
  const { output } = result;
  const show = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
  if (expect.error) {
    if (result.error?.code !== expect.error) failures.push(`expected error ${expect.error}, got ${result.error ? `${result.error.code}: ${result.error.message}` : 'success'}`);
  } else if (result.error) {
    failures.push(`the run failed: ${result.error.code}: ${result.error.message}`);
  }
  if (expect.output !== undefined && output !== expect.output) failures.push(`output was ${show(output)}, expected ${show(expect.output)}`);
  for (const text of expect.contains ?? []) if (!output.includes(text)) failures.push(`output does not contain ${show(text)}`);
  for (const text of expect.notContains ?? []) if (output.includes(text)) failures.push(`output contains ${show(text)}`);
  if (expect.matches !== undefined && !safeRegExp(expect.matches).test(output)) failures.push(`output does not match /${expect.matches}/`);
  if (expect.json !== undefined && !isDeepStrictEqual(parseJson(output), expect.json)) failures.push(`output JSON is ${show(output)}, expected ${show(JSON.stringify(expect.json))}`);
  if (expect.aiCalls !== undefined && result.aiCalls.length !== expect.aiCalls) failures.push(`made ${result.aiCalls.length} AI calls, expected ${expect.aiCalls}`);
  return failures;
}

function safeRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (error) {
    throw new WasmForgeError('BAD_INPUT', `"matches" is not a valid regular expression: ${(error as Error).message}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
