import type { LimitsView } from '../../shared/api/schemas/limits.ts';
import type { PluginManifest } from '../../shared/api/schemas/plugins.ts';
import { effectiveLimits } from '../../shared/limits.ts';
import { formatBytes, formatMs } from './run/run-view.ts';

/** What the sandbox will allow: the app's limits, lowered (never raised) by the manifest, by the one pipeline the sandbox uses. */
export function lowered(base: LimitsView | undefined, manifest: PluginManifest['limits']): LimitsView | undefined {
  return base ? effectiveLimits(base, manifest) : undefined;
}

type LimitName = keyof LimitsView;

const LABELS: Record<LimitName, [string, (value: number) => string]> = {
  wallTimeMs: ['Time', formatMs],
  computeTimeMs: ['Compute time', formatMs],
  memoryBytes: ['Memory', formatBytes],
  aiCalls: ['AI calls', (value) => `${value.toLocaleString()} per run`],
  aiTokens: ['AI tokens', (value) => `${value.toLocaleString()} per run`],
  promptChars: ['Prompt size', (value) => `${value.toLocaleString()} characters`],
  inputBytes: ['Input', formatBytes],
  outputBytes: ['Output', formatBytes],
  logBytes: ['Logs', formatBytes],
};

/** The order a consent dialog lists limits in (the AI budget has its own row). */
const LISTED: LimitName[] = ['wallTimeMs', 'computeTimeMs', 'memoryBytes', 'promptChars', 'inputBytes', 'outputBytes', 'logBytes'];

/** The limits as a person reads them, in the order a consent dialog lists them. */
export function describeLimits(limits: LimitsView): Array<[string, string]> {
  return LISTED.map((name) => [LABELS[name][0], LABELS[name][1](limits[name])]);
}

/** Only the limits a manifest sets, as a person reads them: what the plugin itself declares. */
export function describeDeclared(declared: PluginManifest['limits']): Array<[string, string]> {
  return (Object.keys(LABELS) as LimitName[]).flatMap((name) => {
    const value = declared[name];
    return value === undefined ? [] : [[LABELS[name][0], LABELS[name][1](value)] as [string, string]];
  });
}
