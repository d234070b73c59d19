import { z } from 'zod';

/** Every sandbox limit, as app.info reports them: every field is a whole number, none negative. */
export const limitsSchema = z.object({
  wallTimeMs: z.number().int().positive(),
  memoryBytes: z.number().int().positive(),
  aiCalls: z.number().int().nonnegative(),
  promptChars: z.number().int().positive(),
  inputBytes: z.number().int().positive(),
  outputBytes: z.number().int().positive(),
  logBytes: z.number().int().positive(),
  /** Wall time minus the time spent waiting for AI answers. */
  computeTimeMs: z.number().int().positive(),
  aiTokens: z.number().int().nonnegative(),
});
export type LimitsView = z.infer<typeof limitsSchema>;

/** What the user's settings may set: any subset of every limit. */
export const partialLimitsSchema = limitsSchema.partial().strict();
