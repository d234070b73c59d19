import { z } from 'zod';
import { ENGINE_NAMES, engineNameSchema } from '../../run.ts';
import { limitsSchema } from './limits.ts';

/**
 * An engine's compile to native code (WasmEdge AOT), done once per engine version in the
 * background: runs are interpreted until it is `ready`. `percent` is an estimate; `phase` is what
 * the compiler said last.
 */
export const aotStatusSchema = z.object({
  state: z.enum(['off', 'absent', 'compiling', 'ready', 'failed']),
  percent: z.number().min(0).max(100).optional(),
  phase: z.string().optional(),
  /** When the compile under way started (ms since the epoch). */
  since: z.number().optional(),
  message: z.string(),
});
export type AotStatus = z.infer<typeof aotStatusSchema>;

export const engineStatusSchema = z.union([
  z.object({ available: z.literal(true), version: z.string().optional(), detail: z.string().optional(), aot: aotStatusSchema.optional() }),
  z.object({ available: z.literal(false), reason: z.string() }),
]);

export const appInfoSchema = z.object({
  version: z.string(),
  /** Where this API is served from; the UI shows it and hides desktop-only actions on 'http'. */
  host: z.enum(['desktop', 'server', 'direct']),
  dataHome: z.string(),
  /** Where the log files are (`<dataHome>/logs`): the desktop app opens it, a browser shows it. */
  logsFolder: z.string(),
  defaultEngine: engineNameSchema,
  /** The limits a run gets before any manifest lowers them (defaults with settings applied). */
  limits: limitsSchema,
  aiProvider: z.string(),
  features: z.object({ marketplace: z.boolean(), library: z.boolean(), history: z.boolean() }),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const engineStatusesSchema = z.record(z.enum(ENGINE_NAMES), engineStatusSchema);

export const sdkStubSchema = z.object({ filename: z.string(), text: z.string() });
export type SdkStub = z.infer<typeof sdkStubSchema>;

export const modelInfoSchema = z.object({
  name: z.string(),
  approved: z.boolean(),
  installed: z.boolean(),
  sizeBytes: z.number().optional(),
  family: z.string().optional(),
  parameterSize: z.string().optional(),
  quantization: z.string().optional(),
  loaded: z.boolean().optional(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

export const modelHealthSchema = z.object({
  reachable: z.boolean(),
  host: z.string().optional(),
  version: z.string().optional(),
  latencyMs: z.number().optional(),
  reason: z.string().optional(),
});
export type ModelHealth = z.infer<typeof modelHealthSchema>;

export const emptySchema = z.object({}).strict();
