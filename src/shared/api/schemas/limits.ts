import { z } from 'zod';

const MiB = 1024 * 1024;
const HOUR_MS = 60 * 60 * 1000;

/**
 * The largest value each limit may take, wherever it is set (settings, a run's own limits, a
 * manifest). Each bound is far past what a plugin needs and below where the host would break.
 */
export const LIMIT_MAXIMA = {
  /**
   * A day. Plugins are short jobs; even ten calls to a large model on a slow CPU end within hours.
   * The bound also keeps the run's timers far under setTimeout's 2^31-1 ms, past which Node fires at once.
   */
  wallTimeMs: 24 * HOUR_MS,
  computeTimeMs: 24 * HOUR_MS,
  /** All that wasm32 can address: 65,536 pages of 64 KiB. */
  memoryBytes: 4 * 1024 * MiB,
  /** More than a day of calls at one every ten seconds, and 1,000 times the default. */
  aiCalls: 10_000,
  /** More than a day of generation at 1,000 tokens a second, and 1,000 times the default. */
  aiTokens: 100_000_000,
  /** A request frame carries at most 8 MiB (MAX_REQUEST_BYTES in src/sandbox/protocol.ts), so no longer prompt can arrive. */
  promptChars: 8 * MiB,
  /**
   * Input, output and logs are held whole in the host's memory, sent over IPC or HTTP and kept in
   * the run history: a run's text, not a file transfer.
   */
  inputBytes: 64 * MiB,
  outputBytes: 64 * MiB,
  logBytes: 64 * MiB,
} as const;

type LimitName = keyof typeof LIMIT_MAXIMA;

/** A whole number from `min` up to the limit's maximum, with a message that names the maximum. */
function limit(name: LimitName, min: 0 | 1): z.ZodNumber {
  const max = LIMIT_MAXIMA[name];
  return z.number()
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `may be at most ${max} (${readable(name, max)})` });
}

function readable(name: LimitName, value: number): string {
  if (name.endsWith('Ms')) return `${value / HOUR_MS} hours`;
  if (name.endsWith('Bytes')) return value >= 1024 * MiB ? `${value / 1024 / MiB} GiB` : `${value / MiB} MiB`;
  // Not toLocaleString: its first call sets up ICU's number formatting, tens of milliseconds that
  // every process loading this schema (each CLI command) would pay at start for four messages.
  return String(value).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Every sandbox limit, as app.info reports them: every field is a whole number, none negative, none past its maximum. */
export const limitsSchema = z.object({
  wallTimeMs: limit('wallTimeMs', 1),
  memoryBytes: limit('memoryBytes', 1),
  aiCalls: limit('aiCalls', 0),
  promptChars: limit('promptChars', 1),
  inputBytes: limit('inputBytes', 1),
  outputBytes: limit('outputBytes', 1),
  logBytes: limit('logBytes', 1),
  /** Wall time minus the time spent waiting for AI answers. */
  computeTimeMs: limit('computeTimeMs', 1),
  aiTokens: limit('aiTokens', 0),
});
export type LimitsView = z.infer<typeof limitsSchema>;

/** What the user's settings may set: any subset of every limit. */
export const partialLimitsSchema = limitsSchema.partial().strict();
