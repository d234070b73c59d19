import { z } from 'zod';
import { errorInfoSchema } from '../../errors.ts';
import { engineNameSchema, runResultSchema } from '../../run.ts';
import { partialLimitsSchema } from './limits.ts';
import { pluginCodeSchema, pluginFilesSchema, pluginManifestSchema, pluginRefSchema } from './plugins.ts';

/** The transport accepts a bit more than the sandbox's input limit so that the sandbox is the one to say BAD_INPUT. */
export const MAX_INPUT_CHARS = 4 * 1024 * 1024;

/** The largest AI recording a run takes or gives back (an HTTP body holds at most 8 MiB). */
export const MAX_RECORDING_CHARS = 2 * 1024 * 1024;

/** Either code from the Builder (with its manifest as edited) or a stored plugin by reference. */
export const runRequestSchema = z.object({
  code: pluginCodeSchema.optional(),
  /** With `code`: the plugin's other files (modules it imports, data it reads). */
  files: pluginFilesSchema.optional(),
  manifest: pluginManifestSchema.partial().optional(),
  plugin: pluginRefSchema.optional(),
  input: z.string().max(MAX_INPUT_CHARS).default(''),
  engine: engineNameSchema.optional(),
  /** What tracebacks call the plugin's file (plugin.py by default); the sandbox accepts `name.py` in ASCII. */
  filename: z.string().min(1).max(100).optional(),
  /**
   * The caller's own limits for this run, resolved by effectiveLimits (src/shared/limits.ts): the
   * local CLI's (`wasmforge run --timeout`) may raise the settings', a caller over HTTP or IPC may
   * only lower them; a manifest still only lowers them.
   */
  limits: partialLimitsSchema.optional(),
  /** Keep every AI call of the run with its answer, and return them as `recording` (what `--record` saves). */
  record: z.boolean().default(false),
  /** Answer the AI calls from a recording (as `record` returned it) instead of asking a model. */
  replay: z.string().max(MAX_RECORDING_CHARS).optional(),
  /** Keep this run in the history (the Builder's quick runs may opt out). */
  remember: z.boolean().default(true),
  /**
   * Answer the AI calls from the workspace plugin's test cases (their answers and recordings),
   * for authoring without a model: the plugin is the one named by `plugin` or the manifest's name.
   */
  replayTests: z.boolean().default(false),
}).strict().refine((r) => (r.code === undefined) !== (r.plugin === undefined), {
  message: 'Give either code or a plugin reference, not both',
}).refine((r) => r.files === undefined || r.code !== undefined, {
  message: 'Files go with code (a stored plugin brings its own)',
}).refine((r) => !(r.record && r.replay !== undefined), {
  message: 'Give either record or replay, not both',
}).refine((r) => !(r.replayTests && (r.record || r.replay !== undefined)), {
  message: 'Answer from the test cases, or record, or replay a recording: one of them',
});
export type RunRequestInput = z.input<typeof runRequestSchema>;
/** The request as a handler receives it (defaults filled); the sandbox's RunRequest takes its fields from here. */
export type ParsedRunRequest = z.output<typeof runRequestSchema>;

export const runRecordSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  pluginName: z.string().nullable(),
  source: z.enum(['builder', 'workspace', 'installed']),
  input: z.string(),
  result: runResultSchema,
  /** The run's AI calls and answers, when it was asked to record them (text to save and replay later). */
  recording: z.string().optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** A history row without the bulky output and logs. */
export const runSummarySchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  pluginName: z.string().nullable(),
  source: runRecordSchema.shape.source,
  ok: z.boolean(),
  errorCode: z.string().nullable(),
  durationMs: z.number(),
  aiCalls: z.number().int(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const historyQuerySchema = z.object({
  limit: z.number().int().min(1).max(500).default(50),
  pluginName: z.string().max(64).optional(),
}).strict();

export const syntaxCheckSchema = z.object({ code: pluginCodeSchema, filename: z.string().max(100).optional() }).strict();
export const syntaxResultSchema = z.object({ error: errorInfoSchema.nullable() });
