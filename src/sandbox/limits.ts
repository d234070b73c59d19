import { limitsSchema } from '../shared/api/schemas/limits.ts';
import type { ErrorInfo } from '../shared/errors.ts';

/** Sandbox limits, enforced by the host. Defaults are the original's; a manifest may only lower them. */
export interface SandboxLimits {
  /** Wall-clock time for the whole run, AI waits included. */
  wallTimeMs: number;
  /** Time the plugin itself computes: wall time minus the time it waited for AI answers. */
  computeTimeMs: number;
  /** Linear memory of the guest (WebAssembly level). */
  memoryBytes: number;
  aiCalls: number;
  /** Prompt plus answer tokens, over all AI calls of a run. */
  aiTokens: number;
  promptChars: number;
  inputBytes: number;
  outputBytes: number;
  logBytes: number;
}

const MiB = 1024 * 1024;
export const WASM_PAGE_BYTES = 64 * 1024;
/** python.wasm cannot start below 160 pages (10 MiB); lower limits are raised to this floor. */
export const MIN_MEMORY_BYTES = 160 * WASM_PAGE_BYTES;

export const DEFAULT_LIMITS: Readonly<SandboxLimits> = Object.freeze({
  wallTimeMs: 120_000,
  computeTimeMs: 120_000,
  memoryBytes: 256 * MiB,
  aiCalls: 10,
  aiTokens: 100_000,
  promptChars: 4000,
  inputBytes: 1 * MiB,
  outputBytes: 1 * MiB,
  logBytes: 1 * MiB,
});

/** Applies each override only when it lowers the limit: a plugin can never grant itself more. */
export function lowerLimits(base: SandboxLimits, ...overrides: Array<Partial<SandboxLimits> | undefined>): SandboxLimits {
  const limits = { ...base };
  for (const override of overrides) {
    for (const [key, value] of Object.entries(override ?? {}) as Array<[keyof SandboxLimits, number | undefined]>) {
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < limits[key]) limits[key] = value;
    }
  }
  limits.memoryBytes = Math.max(MIN_MEMORY_BYTES, limits.memoryBytes);
  return limits;
}

/**
 * The limits a run asks for (the settings', then the caller's) against the rules the API checks
 * them by, maxima included: a run that asks for more than the host can honour is refused, never
 * run with a clock that fires at once. A manifest's values need no check: they only ever lower these.
 */
export function checkLimits(limits: SandboxLimits): ErrorInfo | null {
  const parsed = limitsSchema.safeParse(limits);
  if (parsed.success) return null;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]) as keyof SandboxLimits;
    return `${name} (${String(limits[name])}) ${issue.message}`;
  });
  return { code: 'BAD_INPUT', message: `Invalid limits: ${problems.join('; ')}` };
}

export function memoryPages(limits: SandboxLimits): number {
  return Math.floor(limits.memoryBytes / WASM_PAGE_BYTES);
}
