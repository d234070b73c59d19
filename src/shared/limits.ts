import { limitsSchema, type LimitsView } from './api/schemas/limits.ts';
import { WasmForgeError } from './errors.ts';

/** Every limit of one run, in the contract's shape: what app.info shows is what the sandbox enforces. */
export type Limits = LimitsView;
export type PartialLimits = Partial<Limits>;

/**
 * Who asks for a run's own limits. The owner (the local CLI, whose user owns the settings) may
 * raise them past the settings; a caller (a token holder over HTTP, a window over IPC) may only
 * lower them, so one call cannot take more of this machine than the settings grant.
 */
export type LimitsRequester = 'owner' | 'caller';

export interface LimitsRequest {
  limits?: PartialLimits;
  by: LimitsRequester;
}

const MiB = 1024 * 1024;
export const WASM_PAGE_BYTES = 64 * 1024;
/** python.wasm cannot start below 160 pages (10 MiB); lower memory limits are raised to this floor. */
export const MIN_MEMORY_BYTES = 160 * WASM_PAGE_BYTES;

/** The original's limits, before any setting. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
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

/**
 * The one limits pipeline (sandbox, AI broker, app.info, the CLI): the defaults, then the
 * settings (which may raise or lower them: they are the user's), then the request (the owner's
 * may raise, a caller's only lowers), then the manifest (only lowers: a plugin never grants
 * itself more). Settings and request past the maxima are BAD_INPUT; a manifest value that does
 * not lower is ignored.
 */
export function effectiveLimits(settings?: PartialLimits, manifest?: PartialLimits, request?: LimitsRequest): Limits {
  const base = checked({ ...DEFAULT_LIMITS, ...definedOnly(settings) }, 'settings');
  const asked = withComputeTime(definedOnly(request?.limits), base);
  const merged = checked({ ...base, ...asked }, 'run');
  const ceiling = request?.by === 'owner' ? merged : lowered(base, merged);
  const limits = lowered(ceiling, manifest);
  limits.memoryBytes = Math.max(MIN_MEMORY_BYTES, limits.memoryBytes);
  return limits;
}

/**
 * A wall time asked for alone (`run --timeout 300`) must not be cut short by the compute time it
 * left at its default, so the compute time rises with it; it is never lowered (the wall time
 * bounds it anyway).
 */
function withComputeTime(asked: PartialLimits, base: Limits): PartialLimits {
  if (asked.wallTimeMs === undefined || asked.computeTimeMs !== undefined) return asked;
  return { ...asked, computeTimeMs: Math.max(base.computeTimeMs, asked.wallTimeMs) };
}

/** Each override applies only when it is a valid number that lowers the limit. */
function lowered(base: Limits, override: PartialLimits | undefined): Limits {
  const limits = { ...base };
  for (const [key, value] of Object.entries(override ?? {}) as Array<[keyof Limits, unknown]>) {
    if (key in limits && typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < limits[key]) limits[key] = value;
  }
  return limits;
}

/** Against the contract's rules, maxima included: a run that asks for more than the host can honour is refused, never run with a clock that fires at once. */
function checked(limits: Limits, where: 'settings' | 'run'): Limits {
  const parsed = limitsSchema.safeParse(limits);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]) as keyof Limits;
    return `${name} (${String(limits[name])}) ${issue.message}`;
  });
  throw new WasmForgeError('BAD_INPUT', `Invalid limits${where === 'settings' ? ' in the settings' : ''}: ${problems.join('; ')}`);
}

function definedOnly(value: PartialLimits | undefined): PartialLimits {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as PartialLimits;
}
