import { z } from 'zod';
import { errorCodeSchema, WasmForgeError, type ErrorCode } from '../shared/errors.ts';
import { emptyRecording, parseRecording, recordedRequestSchema, RECORDING_FORMAT, type RecordedCall, type Recording } from '../ai/recording.ts';

/**
 * The test-case file format: `tests/<name>.json` in a plugin folder. One input, the AI answers the
 * plugin will get (inline, or a recording file beside the case), and what the run must produce.
 * sdk/test-case.schema.json is generated from testCaseSchema (a test fails when it is stale), so
 * editors check a case that names it in "$schema".
 */
const generateAnswerSchema = recordedRequestSchema.extend({
  response: z.string().describe('The text the model answers'),
}).strict()
  // Without either no call ever matches it (a call_ai request always has one): say so where the file is read.
  .refine((answer) => answer.prompt !== undefined || answer.messages !== undefined,
    { path: ['prompt'], message: 'give the prompt (or "messages") the plugin sends to call_ai' })
  .describe('A call_ai answer: the call as the plugin makes it (model, prompt or messages, system, images) and its response');

const embedAnswerSchema = z.object({
  model: z.string().min(1),
  embed: z.union([z.string(), z.array(z.string())]).describe('The text (or texts) embed() is given'),
  embeddings: z.array(z.array(z.number())),
}).strict().describe('An embed() answer');

export const expectSchema = z.object({
  output: z.string().optional().describe('The output, exactly'),
  contains: z.array(z.string()).optional().describe('Texts the output must contain'),
  notContains: z.array(z.string()).optional().describe('Texts the output must not contain'),
  matches: z.string().optional().describe('A regular expression (JavaScript, Unicode) the output must match'),
  json: z.unknown().optional().describe('The output parsed as JSON must equal this value'),
  error: errorCodeSchema.optional().describe('The run must fail with this error code; without it, the run must succeed'),
  aiCalls: z.number().int().nonnegative().optional().describe('How many AI calls the run makes'),
}).strict().describe('What the run must produce: an object of checks, all of which must hold (an empty object: the run succeeds)');

export const testCaseSchema = z.object({
  $schema: z.string().optional().describe('The JSON Schema of this format, for editors (sdk/test-case.schema.json)'),
  name: z.string().max(200).optional().describe('Shown in results; the file name without .json when absent'),
  input: z.unknown().default('').describe('The input: text, or any JSON value (given to the plugin as its JSON text)'),
  ai: z.array(z.union([generateAnswerSchema, embedAnswerSchema])).default([]).describe('The AI answers the plugin gets, matched by model and prompt'),
  models: z.array(z.string()).optional().describe('What list_models() answers (the answered models besides)'),
  recording: z.string().regex(/^[\w][\w.-]*\.json$/, 'a .json file name in the tests folder').optional()
    .describe('A recording (`wasmforge run --record F`) in the tests folder, answering besides "ai"'),
  expect: expectSchema,
}).strict().describe('A WasmForge plugin test case (tests/<name>.json)');

export type PluginTestCase = z.infer<typeof testCaseSchema>;
export type CaseExpectation = PluginTestCase['expect'];

/** The JSON Schema editors validate a case file with (committed as sdk/test-case.schema.json). */
export function testCaseJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(testCaseSchema, { io: 'input', target: 'draft-2020-12' }), title: 'WasmForge plugin test case' };
}

/** A case file's text as a case; anything else is INVALID_TEST_CASE naming the file and where each problem is. */
export function parseCase(text: string, file: string): PluginTestCase {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalidCase(file, [{ path: '(file)', message: `not JSON: ${(error as Error).message}` }]);
  }
  if (isRecording(data)) throw invalidCase(file, [{ path: 'format', message: 'this is an AI recording, not a test case: name it in a case\'s "recording"' }]);
  const parsed = testCaseSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw invalidCase(file, caseIssues(parsed.error.issues, []));
  return parsed.data;
}

/** A file in the tests folder that is a recording (by its content: any name will do) rather than a case. */
export function isRecording(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { format?: unknown }).format === RECORDING_FORMAT;
}

function invalidCase(file: string, issues: Array<{ path: string; message: string }>): WasmForgeError {
  const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`).join('\n');
  return new WasmForgeError('INVALID_TEST_CASE', `${file} is not a valid test case:\n${lines}`, {
    hint: 'A case is {"input": …, "ai": [ … ], "expect": { "output": "…" }}: see the test-case format in the README or `wasmforge test --help`',
    details: { file, issues },
  });
}

/** `expect.contains[1]`, as a person reads a place in a JSON file. */
function issuePath(path: PropertyKey[]): string {
  if (path.length === 0) return '(the case)';
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}${text ? '.' : ''}${String(key)}`), '');
}

/**
 * Each problem at its full place. zod's word for an "ai" entry that is neither answer is only
 * "Invalid input" at `ai[0]`: the problems of the alternative the entry is closest to (the fewest)
 * name the field instead (`ai[0].model: expected a string, received a number`).
 */
function caseIssues(issues: readonly z.core.$ZodIssue[], at: PropertyKey[]): Array<{ path: string; message: string }> {
  return issues.flatMap((issue) => {
    const path = [...at, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = issue.errors.reduce((best, option) => (option.length < best.length ? option : best));
      return caseIssues(closest, path);
    }
    return [{ path: issuePath(path), message: explain(issue, path) }];
  });
}

/** zod's message, with what is expected where its own words are terse (a missing or wrongly typed "expect" above all). */
function explain(issue: z.core.$ZodIssue, path: PropertyKey[]): string {
  if (path.length === 1 && path[0] === 'expect' && issue.code === 'invalid_type') {
    return 'must be an object of checks, such as {"output": "…"} or {"contains": ["…"]} ({} when the run only has to succeed)';
  }
  if (issue.code === 'unrecognized_keys') return `unknown ${issue.keys.length > 1 ? 'fields' : 'field'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type') {
    return issue.input === undefined ? `missing: ${withArticle(issue.expected)} is required` : `expected ${withArticle(issue.expected)}, received ${jsonType(issue.input)}`;
  }
  return issue.message;
}

function withArticle(type: string): string {
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/** What a JSON value is, in JSON's words. */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : withArticle(typeof value);
}

/** The answers a case gives: its recording file (already read) and its inline ones, inline first. */
export function caseRecording(testCase: PluginTestCase, recordingText?: string): Recording {
  const base = recordingText !== undefined && testCase.recording ? parseRecording(recordingText, testCase.recording) : emptyRecording();
  const inline = testCase.ai.map((answer): RecordedCall => {
    if ('embed' in answer) {
      const input = typeof answer.embed === 'string' ? [answer.embed] : answer.embed;
      return { kind: 'embed', request: { model: answer.model, input }, response: { embeddings: answer.embeddings } };
    }
    const { response, ...request } = answer;
    return { kind: 'generate', request, response: { text: response } };
  });
  return { ...base, models: [...base.models, ...(testCase.models ?? [])], calls: [...inline, ...base.calls] };
}

/** The input as the plugin receives it: text as it is, any other JSON value as its JSON text. */
export function caseInput(testCase: PluginTestCase): string {
  return typeof testCase.input === 'string' ? testCase.input : JSON.stringify(testCase.input);
}

/** A recording's calls as a case's inline answers (the case then stands alone in one file). */
export function answersOf(recording: Recording): PluginTestCase['ai'] {
  return recording.calls.map((call) => (call.kind === 'generate'
    ? { ...call.request, response: call.response.text }
    : { model: call.request.model, embed: call.request.input.length === 1 ? call.request.input[0]! : call.request.input, embeddings: call.response.embeddings }));
}

/** The file text of a case: the schema named first, two-space JSON, a final newline. */
export function formatCase(testCase: PluginTestCase): string {
  return `${JSON.stringify(testCase, null, 2)}\n`;
}

/** A case file name from a case name: `Short text` → `short-text.json`. */
export function caseFileName(name: string): string {
  const slug = name.trim().toLowerCase().replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
  return `${slug || 'case'}.json`;
}

/** A finished run as a case: its input, the AI answers it received, and its outcome, exactly, as the expectation. */
export function caseFromRun(run: { name: string; input: string; output: string; errorCode: ErrorCode | null; recording?: Recording }): PluginTestCase {
  const recording = run.recording ?? emptyRecording();
  const models = recording.models.length > 0 ? { models: recording.models } : {};
  return {
    name: run.name,
    input: run.input,
    ai: answersOf(recording),
    ...models,
    expect: run.errorCode ? { error: run.errorCode } : { output: run.output },
  };
}
