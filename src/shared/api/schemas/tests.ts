import { z } from 'zod';
import { errorCodeSchema, errorInfoSchema } from '../../errors.ts';
import { runResultSchema } from '../../run.ts';
import { pluginCodeSchema, pluginFilesSchema, pluginManifestSchema, pluginNameSchema } from './plugins.ts';
import { MAX_INPUT_CHARS, MAX_RECORDING_CHARS } from './runs.ts';

/**
 * A plugin's test cases (`tests/*.json`, the format in src/sandbox/test-case.ts) as the Builder's
 * Tests panel and `wasmforge test` see them: listed, run (each result streamed as it finishes),
 * saved from a run, and their expectations refreshed from what the plugin does now.
 */

/** A case file in the plugin's tests folder: a plain file name, never a path. */
export const caseFileSchema = z.string().regex(/^[\w][\w.-]{0,99}\.json$/, 'a .json file name in the tests folder');

/** One line of a diff of expected and actual text. */
export const diffLineSchema = z.object({ op: z.enum(['same', 'removed', 'added']), text: z.string() });
export type DiffLine = z.infer<typeof diffLineSchema>;

export const CASE_CHECKS = ['case', 'error', 'output', 'contains', 'notContains', 'matches', 'json', 'aiCalls'] as const;

/** One expectation that did not hold: which, in words, and for the exact ones a diff (removed: expected, added: actual). */
export const caseFailureSchema = z.object({
  check: z.enum(CASE_CHECKS),
  message: z.string(),
  diff: z.array(diffLineSchema).optional(),
  /** A run or case error behind the failure (REPLAY_MISS details name the call, model and what differs). */
  error: errorInfoSchema.optional(),
});
export type CaseFailure = z.infer<typeof caseFailureSchema>;

export const caseResultSchema = z.object({
  file: caseFileSchema,
  name: z.string(),
  passed: z.boolean(),
  failures: z.array(caseFailureSchema),
  durationMs: z.number(),
  /** caseDigest of the case file's text this result ran, so a client can tell a result from a case changed since. */
  digest: z.string().optional(),
  /** The run, when the case could run at all. */
  result: runResultSchema.optional(),
});
export type CaseResult = z.infer<typeof caseResultSchema>;

export const caseSummarySchema = z.object({
  file: caseFileSchema,
  name: z.string(),
  /** Which expectations the case holds the run to (`output`, `contains`, …). */
  checks: z.array(z.enum(CASE_CHECKS)),
  aiAnswers: z.number().int().nonnegative(),
  /** caseDigest of the file's text as listed: a result whose digest differs ran an older version of the case. */
  digest: z.string().optional(),
  /** The case file cannot be read as a case: what and where (INVALID_TEST_CASE details). */
  problem: errorInfoSchema.optional(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

/** A case file's text, for a plugin that is not in the workspace (the CLI reads its folder). */
export const caseTextSchema = z.object({ file: caseFileSchema, text: z.string().max(MAX_RECORDING_CHARS) });

/** Which plugin's cases: a workspace plugin by name, or a folder's contents sent whole (the CLI's `test <dir>`). */
export const testSuiteSchema = z.union([
  z.object({ plugin: pluginNameSchema }).strict(),
  z.object({
    code: pluginCodeSchema,
    /** The plugin's other files (modules, data) beside its code. */
    files: pluginFilesSchema.optional(),
    manifest: pluginManifestSchema.partial().optional(),
    filename: z.string().min(1).max(100).optional(),
    cases: z.array(caseTextSchema).max(1000),
    /** Files beside the cases that a case names as its `recording`. */
    recordings: z.array(caseTextSchema).max(1000).default([]),
  }).strict(),
]);
export type TestSuite = z.output<typeof testSuiteSchema>;

export const testRunSchema = z.object({
  suite: testSuiteSchema,
  /** Only these case files (all when absent). */
  files: z.array(caseFileSchema).max(1000).optional(),
}).strict();

export const testRunEventSchema = z.object({ type: z.literal('case'), result: caseResultSchema });

export const testReportSchema = z.object({
  results: z.array(caseResultSchema),
  passed: z.number().int(),
  failed: z.number().int(),
  durationMs: z.number(),
});
export type TestReport = z.infer<typeof testReportSchema>;

export const testUpdateResultSchema = testReportSchema.extend({
  /** The case files whose expectations changed, with their new text (written already for a workspace plugin). */
  updated: z.array(caseTextSchema),
});

/** A finished run, to keep as a case: its input, the AI answers it received (its recording), and its outcome as the expectation. */
export const saveFromRunSchema = z.object({
  /** The workspace plugin to write `tests/<name>.json` into; absent: the text is only returned (the CLI writes it). */
  plugin: pluginNameSchema.optional(),
  name: z.string().trim().min(1).max(100).regex(/^[\w][\w .-]*$/, 'letters, digits, spaces, dots, dashes and underscores'),
  input: z.string().max(MAX_INPUT_CHARS),
  output: z.string().max(MAX_INPUT_CHARS),
  /** The run's error code, when it failed: the case then expects that error. */
  errorCode: errorCodeSchema.nullable(),
  recording: z.string().max(MAX_RECORDING_CHARS).optional(),
  /** Replace a case of that name; otherwise an existing one is ALREADY_EXISTS. */
  overwrite: z.boolean().default(false),
}).strict();

export const savedCaseSchema = caseTextSchema;
export const testListSchema = z.object({ plugin: pluginNameSchema }).strict();
