import type { LimitsView } from './api/schemas/limits.ts';

/**
 * One way to write sizes and durations for people, in the app and the CLI alike: binary units
 * (KiB, MiB: what the limits are made of), milliseconds below a second.
 */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

type LimitName = keyof LimitsView;

const LIMIT_LABELS: Record<LimitName, [string, (value: number) => string]> = {
  wallTimeMs: ['Time', formatMs],
  computeTimeMs: ['Compute time', formatMs],
  memoryBytes: ['Memory', formatBytes],
  aiCalls: ['AI calls', (value) => `${value.toLocaleString('en')} per run`],
  aiTokens: ['AI tokens', (value) => `${value.toLocaleString('en')} per run`],
  promptChars: ['Prompt size', (value) => `${value.toLocaleString('en')} characters`],
  inputBytes: ['Input', formatBytes],
  outputBytes: ['Output', formatBytes],
  logBytes: ['Logs', formatBytes],
};

/** The order a consent lists limits in (the AI budget has its own row). */
const LISTED: LimitName[] = ['wallTimeMs', 'computeTimeMs', 'memoryBytes', 'promptChars', 'inputBytes', 'outputBytes', 'logBytes'];

/** The limits as a person reads them, in the order a consent lists them. */
export function describeLimits(limits: LimitsView): Array<[string, string]> {
  return LISTED.map((name) => [LIMIT_LABELS[name][0], LIMIT_LABELS[name][1](limits[name])]);
}

/** Only the limits a manifest sets, as a person reads them: what the plugin itself declares. */
export function describeDeclared(declared: Partial<LimitsView>): Array<[string, string]> {
  return (Object.keys(LIMIT_LABELS) as LimitName[]).flatMap((name) => {
    const value = declared[name];
    return value === undefined ? [] : [[LIMIT_LABELS[name][0], LIMIT_LABELS[name][1](value)] as [string, string]];
  });
}
