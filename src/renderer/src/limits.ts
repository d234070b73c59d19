import type { LimitsView } from '../../shared/api/schemas/limits.ts';
import type { PluginManifest } from '../../shared/api/schemas/plugins.ts';
import { formatBytes, formatMs } from './run/run-view.ts';

/** What the sandbox will allow: the app's limits, lowered (never raised) by the manifest. */
export function lowered(base: LimitsView | undefined, manifest: PluginManifest['limits']): LimitsView | undefined {
  if (!base) return undefined;
  const out = { ...base };
  for (const [key, value] of Object.entries(manifest) as Array<[keyof LimitsView, number | undefined]>) {
    if (typeof value === 'number' && value < out[key]) out[key] = value;
  }
  return out;
}

/** The limits as a person reads them, in the order a consent dialog lists them. */
export function describeLimits(limits: LimitsView): Array<[string, string]> {
  return [
    ['Time', formatMs(limits.wallTimeMs)],
    ['Compute time', formatMs(limits.computeTimeMs)],
    ['Memory', formatBytes(limits.memoryBytes)],
    ['Prompt size', `${limits.promptChars.toLocaleString()} characters`],
    ['Input', formatBytes(limits.inputBytes)],
    ['Output', formatBytes(limits.outputBytes)],
    ['Logs', formatBytes(limits.logBytes)],
  ];
}
