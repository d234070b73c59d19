import semver from 'semver';
import { z } from 'zod';
import { CODE_TOO_LARGE, codeFits } from '../../code-size.ts';
import { ENTRY_FILE, pluginFilesProblem } from '../../plugin-files.ts';
import { PLUGIN_NAME_PATTERN, PLUGIN_NAME_RULE, TAG_PATTERN } from '../names.ts';
import { typedRefusal } from '../typed-refusal.ts';
import { partialLimitsSchema } from './limits.ts';
import { modelNameSchema } from './models.ts';

/**
 * plugin.json: the one definition. The library stores it through a stricter copy derived from this
 * one (src/library/manifest.ts: unknown keys refused, version required), and the marketplace
 * database checks names, tags and versions again with the same rules.
 */

/** Lowercase words joined by dashes: safe as a folder name and a marketplace key. */
export const pluginNameSchema = z.string().regex(PLUGIN_NAME_PATTERN, { message: PLUGIN_NAME_RULE });

/** A strict semantic version as npm's semver reads it: no "v" prefix, no build metadata. */
export const versionSchema = z.string().max(64)
  .refine((value) => semver.valid(value) === value, 'Use a semantic version such as 1.0.0');

export const tagSchema = z.string().regex(TAG_PATTERN, { message: 'Tags are short lowercase words, digits and dashes (at most 32 characters)' });

/** Any subset of every sandbox limit; the runtime applies each only when it lowers the limit. */
export const manifestLimitsSchema = partialLimitsSchema;

export const INPUT_TYPES = ['text', 'file', 'json'] as const;
export const inputTypeSchema = z.enum(INPUT_TYPES);
export type InputType = z.infer<typeof inputTypeSchema>;

/** plugin.json as the UI edits it (a new plugin starts at 0.1.0). */
export const pluginManifestSchema = z.object({
  name: pluginNameSchema,
  version: versionSchema.default('0.1.0'),
  description: z.string().max(2000).default(''),
  tags: z.array(tagSchema).max(10).default([])
    .refine((tags) => new Set(tags).size === tags.length, 'Tags must be unique'),
  models: z.array(modelNameSchema).max(20).default([]),
  inputType: inputTypeSchema.default('text'),
  inputHint: z.string().max(500).default(''),
  /** Limits the plugin lowers for itself; it can never raise them. */
  limits: manifestLimitsSchema.default({}),
});
export type PluginManifest = z.output<typeof pluginManifestSchema>;
export type PluginManifestInput = z.input<typeof pluginManifestSchema>;

/** The models a plugin's code names as literals in its AI calls; `dynamic`: some call names one with an expression. */
export const detectedModelsSchema = z.object({
  models: z.array(z.string()),
  dynamic: z.boolean(),
  /** Why nothing could be read: a file does not parse (the code being typed, often). The declared models then stay. */
  notParsed: z.string().optional(),
});
export type DetectedModels = z.infer<typeof detectedModelsSchema>;

/** The manifest's models as the code calls them: exactly the detected ones, plus the declared ones when some call's model is not a literal. */
export function modelsFor(declared: string[], detected: DetectedModels): string[] {
  if (detected.notParsed !== undefined) return declared;
  return detected.dynamic ? [...new Set([...detected.models, ...declared])] : detected.models;
}

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
  /**
   * A workspace plugin's contents on disk (code, files, manifest) as a digest: a save based on
   * another one is refused (EDIT_CONFLICT), never written over what another program wrote since.
   */
  revision: z.string().optional(),
});
export type PluginSummary = z.infer<typeof pluginSummarySchema>;

/** Plugin code is bounded so a paste of a huge file cannot exhaust the server: the one limit (code-size.ts), in UTF-8 bytes. */
export const pluginCodeSchema = z.string().refine(codeFits, CODE_TOO_LARGE);

/**
 * A multi-file plugin's files beside plugin.py (whose text is `code`), by relative path:
 * { 'helpers.py': …, 'data/words.txt': … }; {} for a single-file plugin. Checked with the
 * sandbox's own rules (src/shared/plugin-files.ts); the entry's size is checked with `code`.
 */
export const pluginFilesSchema = z.record(z.string(), z.string()).superRefine((files, context) => {
  const problem = Object.hasOwn(files, ENTRY_FILE)
    ? { path: ENTRY_FILE, reason: 'bad-path' as const, message: `${ENTRY_FILE} is the plugin's code, not one of its other files` }
    : pluginFilesProblem(files);
  if (!problem) return;
  const { message, ...details } = problem;
  // The refusal the sandbox gives for the same files: INVALID_PLUGIN_FILES, naming the file and why.
  context.addIssue({ code: 'custom', message, path: details.path === null ? [] : [details.path], params: typedRefusal('INVALID_PLUGIN_FILES', message, details) });
});

export const pluginDetailSchema = z.object({
  summary: pluginSummarySchema,
  code: z.string(),
  /** The plugin's other files ({} for a single-file plugin, and from a server that predates them). */
  files: z.record(z.string(), z.string()).default({}),
  manifest: pluginManifestSchema,
});
export type PluginDetail = z.infer<typeof pluginDetailSchema>;

export const pluginSaveSchema = z.object({
  code: pluginCodeSchema,
  /** The other files, exactly (files missing here are removed); absent: they stay as they are. */
  files: pluginFilesSchema.optional(),
  manifest: pluginManifestSchema,
  /**
   * The name this plugin was last saved under (absent for a new one). Equal to manifest.name: an
   * update; different: a rename. A new or renamed plugin never overwrites another (ALREADY_EXISTS).
   */
  previousName: pluginNameSchema.optional(),
  /**
   * The revision (PluginSummary.revision) the draft was opened or last saved as. When the plugin on
   * disk is no longer that one (an editor, git or the CLI wrote it since), the save is refused with
   * EDIT_CONFLICT; absent, the save writes whatever is there (the CLI, a first save).
   */
  basedOn: z.string().max(128).optional(),
}).strict();

export const templateSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  code: z.string(),
  manifest: pluginManifestSchema,
});
export type PluginTemplate = z.infer<typeof templateSchema>;
