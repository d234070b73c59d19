import { z } from 'zod';
import { PLUGIN_NAME_PATTERN, PLUGIN_NAME_RULE, SEMVER_PATTERN, TAG_PATTERN } from '../names.ts';
import { manifestLimitsSchema } from './limits.ts';

/** Lowercase words joined by dashes: safe as a folder name and a marketplace key. */
export const pluginNameSchema = z.string().regex(PLUGIN_NAME_PATTERN, { message: PLUGIN_NAME_RULE });
const semverSchema = z.string().regex(SEMVER_PATTERN, { message: 'Use a semantic version such as 1.0.0' });

export const INPUT_TYPES = ['text', 'file', 'json'] as const;
export const inputTypeSchema = z.enum(INPUT_TYPES);
export type InputType = z.infer<typeof inputTypeSchema>;

/** plugin.json as the UI edits it; the library validates it again when it stores it. */
export const pluginManifestSchema = z.object({
  name: pluginNameSchema,
  version: semverSchema.default('0.1.0'),
  description: z.string().max(2000).default(''),
  tags: z.array(z.string().regex(TAG_PATTERN, { message: 'Tags are short lowercase words' })).max(10).default([]),
  models: z.array(z.string().min(1).max(128)).max(20).default([]),
  inputType: inputTypeSchema.default('text'),
  inputHint: z.string().max(500).default(''),
  limits: manifestLimitsSchema.default({}),
});
export type PluginManifest = z.output<typeof pluginManifestSchema>;
export type PluginManifestInput = z.input<typeof pluginManifestSchema>;

export const PLUGIN_SOURCES = ['workspace', 'installed'] as const;
export const pluginSourceSchema = z.enum(PLUGIN_SOURCES);
export type PluginSource = z.infer<typeof pluginSourceSchema>;

export const pluginRefSchema = z.object({ source: pluginSourceSchema, name: pluginNameSchema }).strict();
export type PluginRef = z.infer<typeof pluginRefSchema>;

export const pluginSummarySchema = z.object({
  source: pluginSourceSchema,
  name: z.string(),
  version: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  inputType: inputTypeSchema,
  inputHint: z.string(),
  updatedAt: z.string().optional(),
});
export type PluginSummary = z.infer<typeof pluginSummarySchema>;

/** Plugin code is bounded so a paste of a huge file cannot exhaust the server. */
export const MAX_CODE_CHARS = 512 * 1024;
export const pluginCodeSchema = z.string().max(MAX_CODE_CHARS);

export const pluginDetailSchema = z.object({
  summary: pluginSummarySchema,
  code: z.string(),
  manifest: pluginManifestSchema,
});
export type PluginDetail = z.infer<typeof pluginDetailSchema>;

export const pluginSaveSchema = z.object({
  code: pluginCodeSchema,
  manifest: pluginManifestSchema,
  /**
   * The name this plugin was last saved under (absent for a new one). Equal to manifest.name: an
   * update; different: a rename. A new or renamed plugin never overwrites another (ALREADY_EXISTS).
   */
  previousName: pluginNameSchema.optional(),
}).strict();

export const templateSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  code: z.string(),
  manifest: pluginManifestSchema,
});
export type PluginTemplate = z.infer<typeof templateSchema>;
