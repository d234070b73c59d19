import { z } from 'zod';
import { WasmForgeError } from '../shared/errors.ts';
import { PLUGIN_NAME_PATTERN, TAG_PATTERN } from '../shared/api/names.ts';
import {
  INPUT_TYPES, manifestLimitsSchema, pluginManifestSchema, pluginNameSchema, tagSchema, versionSchema,
} from '../shared/api/schemas/plugins.ts';

/**
 * plugin.json as the library stores it: the API's schema (src/shared/api/schemas/plugins.ts, the
 * one definition) with two stricter rules for files on disk and in the marketplace: the version is
 * required, and unknown keys are refused so a typo such as "limts" is reported instead of ignored.
 */
export { INPUT_TYPES, manifestLimitsSchema, PLUGIN_NAME_PATTERN, pluginNameSchema, TAG_PATTERN, tagSchema, versionSchema };

export const manifestSchema = pluginManifestSchema.extend({ version: versionSchema }).strict();

export type PluginManifest = z.infer<typeof manifestSchema>;
export type ManifestInput = z.input<typeof manifestSchema>;

/** Validates unknown data (a parsed plugin.json, a bundle, a database row) into a manifest. */
export function parseManifest(data: unknown, where = 'plugin.json'): PluginManifest {
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) {
    throw new WasmForgeError('INVALID_MANIFEST', `${where} is not valid:\n${z.prettifyError(parsed.error)}`, {
      hint: 'The fields are name, version, description, tags, models, limits, inputType and inputHint (see "Library and marketplace" in the README).',
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
