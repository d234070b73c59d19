import { z } from 'zod';
import { engineNameSchema } from '../../run.ts';
import { partialLimitsSchema } from './limits.ts';

export const THEMES = ['dark', 'light'] as const;

/**
 * The user's settings as the UI sees them: a mirror of src/library/settings.ts (a compile-time
 * check in src/app keeps the two in step; the library's schema validates again on save).
 */
const ollamaSchema = z.object({
  host: z.string().max(500).optional(),
  headers: z.record(z.string().max(200), z.string().max(4000)),
  allowList: z.array(z.string().max(100)).max(200),
});
const sandboxSchema = z.object({
  engine: engineNameSchema,
  warmPoolSize: z.number().int().min(0).max(8),
  limits: partialLimitsSchema,
});
const authorSchema = z.object({ displayName: z.string().max(100) });
export const settingsViewSchema = z.object({
  version: z.literal(1),
  ollama: ollamaSchema,
  marketplace: z.object({ databaseUrl: z.string().max(2000).optional() }),
  author: authorSchema,
  sandbox: sandboxSchema,
  ui: z.object({ theme: z.enum(THEMES) }),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

/** A change to some settings: each section may be given in part. */
export const settingsPatchSchema = z.object({
  ollama: ollamaSchema.partial().strict().optional(),
  marketplace: z.object({ databaseUrl: z.string().max(2000).optional() }).strict().optional(),
  author: authorSchema.partial().strict().optional(),
  sandbox: sandboxSchema.partial().strict().optional(),
  ui: z.object({ theme: z.enum(THEMES) }).partial().strict().optional(),
}).strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
