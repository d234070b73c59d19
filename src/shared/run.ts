import { z } from 'zod';
import { errorInfoSchema } from './errors.ts';

export const ENGINE_NAMES = ['embedded', 'wasmedge'] as const;
export const engineNameSchema = z.enum(ENGINE_NAMES);
export type EngineName = z.infer<typeof engineNameSchema>;

export const aiCallRecordSchema = z.object({
  model: z.string(),
  promptChars: z.number().int(),
  responseChars: z.number().int(),
  durationMs: z.number(),
  ok: z.boolean(),
  errorCode: z.string().optional(),
  prompt: z.string().optional(),
  response: z.string().optional(),
  promptTokens: z.number().int().optional(),
  responseTokens: z.number().int().optional(),
  replayed: z.boolean().optional(),
});
export type AiCallRecord = z.infer<typeof aiCallRecordSchema>;

/** What every run returns, the same object through the API, IPC, HTTP and `wasmforge run --json`. */
export const runResultSchema = z.object({
  ok: z.boolean(),
  output: z.string(),
  logs: z.string(),
  error: errorInfoSchema.nullable(),
  aiCalls: z.array(aiCallRecordSchema),
  durationMs: z.number(),
  engine: engineNameSchema,
  /** Peak linear memory of the guest, when the engine can tell. */
  memoryBytes: z.number().int().optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;

/**
 * Streamed while a run is under way. The RunResult is not among them: it travels once, as the
 * run's return value (the final envelope of `runs.run`), never also as an event.
 */
export const runEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), engine: engineNameSchema }),
  z.object({ type: z.literal('log'), text: z.string() }),
  z.object({ type: z.literal('output'), text: z.string() }),
  z.object({ type: z.literal('ai-call'), model: z.string(), index: z.number().int().nonnegative() }),
  z.object({ type: z.literal('ai-token'), index: z.number().int().nonnegative(), text: z.string() }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;
