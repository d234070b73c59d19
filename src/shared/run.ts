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

/** Streamed while a run is under way; the final `result` event carries the RunResult. */
export type RunEvent =
  | { type: 'started'; engine: EngineName }
  | { type: 'log'; text: string }
  | { type: 'output'; text: string }
  | { type: 'ai-call'; model: string; index: number }
  | { type: 'ai-token'; index: number; text: string }
  | { type: 'result'; result: RunResult };
