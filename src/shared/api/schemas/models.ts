import { z } from 'zod';
import { MODEL_NAME_PATTERN } from '../names.ts';

export const modelNameSchema = z.string().regex(MODEL_NAME_PATTERN, { message: 'A model name such as "qwen2.5:1.5b"' });

export const modelRefSchema = z.object({ name: modelNameSchema }).strict();

/** Pull progress, summed over the layers seen so far (the event of `models.pull`). */
export const pullProgressEventSchema = z.object({
  status: z.string(),
  completedBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
});
export type PullProgressEvent = z.infer<typeof pullProgressEventSchema>;

export const pullResultSchema = z.object({
  name: z.string(),
  /** 'cancelled' when the caller stopped it (Ollama keeps the layers it has for the next pull). */
  status: z.enum(['success', 'cancelled']),
});

export const approveModelSchema = z.object({ name: modelNameSchema, approved: z.boolean() }).strict();

/** The allow-list after the change. */
export const allowListSchema = z.array(z.string());
