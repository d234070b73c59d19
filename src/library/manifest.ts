import semver from 'semver';
import { z } from 'zod';
import { WasmForgeError } from '../shared/errors.ts';

/**
 * plugin.json. Names and tags are validated here and again by the database's CHECK constraints.
 * Unknown keys are refused so a typo such as "limts" is reported instead of silently ignored.
 */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const TAG_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
const MODEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

export const pluginNameSchema = z.string().min(2).max(64)
  .regex(PLUGIN_NAME_PATTERN, 'lowercase letters, digits and single dashes, starting with a letter (e.g. "text-summary")');

export const tagSchema = z.string().regex(TAG_PATTERN, 'lowercase letters, digits and dashes, at most 32 characters');

export const versionSchema = z.string().max(64)
  .refine((value) => semver.valid(value) === value, 'a semantic version such as 1.0.0');

const limitValue = z.number().int().positive();

export const manifestLimitsSchema = z.object({
  wallTimeMs: limitValue.optional(),
  memoryBytes: limitValue.optional(),
  aiCalls: z.number().int().nonnegative().optional(),
  promptChars: limitValue.optional(),
  inputBytes: limitValue.optional(),
  outputBytes: limitValue.optional(),
  logBytes: limitValue.optional(),
}).strict();

export const INPUT_TYPES = ['text', 'file', 'json'] as const;

export const manifestSchema = z.object({
  name: pluginNameSchema,
  version: versionSchema,
  description: z.string().max(2000).default(''),
  tags: z.array(tagSchema).max(10).default([])
    .refine((tags) => new Set(tags).size === tags.length, 'tags must be unique'),
  models: z.array(z.string().regex(MODEL_PATTERN, 'a model name such as "qwen2.5:1.5b"')).max(20).default([]),
  /** Limits the plugin lowers for itself; it can never raise them. */
  limits: manifestLimitsSchema.default({}),
  inputType: z.enum(INPUT_TYPES).default('text'),
  inputHint: z.string().max(500).default(''),
}).strict();

export type PluginManifest = z.infer<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;

/** Validates unknown data (a parsed plugin.json, a bundle, a database row) into a manifest. */
export function parseManifest(data: unknown, where = 'plugin.json'): PluginManifest {
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    throw new WasmForgeError('INVALID_MANIFEST', `${where} is not valid:\n${z.prettifyError(parsed.error)}`, {
      hint: 'See the fields in src/library/manifest.ts: name, version, description, tags, models, limits, inputType, inputHint.',
    });
  }
  return parsed.data;
}

export function parseManifestText(text: string, where = 'plugin.json'): PluginManifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new WasmForgeError('INVALID_MANIFEST', `${where} is not JSON: ${(error as Error).message}`);
  }
  return parseManifest(data, where);
}

export function assertPluginName(name: string): string {
  const parsed = pluginNameSchema.safeParse(name);
  if (!parsed.success) {
    throw new WasmForgeError('BAD_INPUT', `"${name.slice(0, 80)}" is not a valid plugin name: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data;
}

/** `name` or `name@version` as typed on the command line. */
export function parsePluginSpec(spec: string): { name: string; version?: string } {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return { name: assertPluginName(spec) };
  const version = spec.slice(at + 1);
  if (!versionSchema.safeParse(version).success) throw new WasmForgeError('BAD_INPUT', `"${version}" is not a semantic version`);
  return { name: assertPluginName(spec.slice(0, at)), version };
}
