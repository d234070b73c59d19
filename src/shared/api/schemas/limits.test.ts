import { describe, expect, it, vi } from 'vitest';
import { MAX_REQUEST_BYTES } from '../../../sandbox/protocol.ts';
import { LIMIT_MAXIMA, limitsSchema, partialLimitsSchema } from './limits.ts';

const names = Object.keys(LIMIT_MAXIMA) as Array<keyof typeof LIMIT_MAXIMA>;

describe('limits schema', () => {
  it('takes every limit up to its maximum and refuses one past it, naming the maximum', () => {
    expect(limitsSchema.safeParse({ ...LIMIT_MAXIMA }).success).toBe(true);
    for (const name of names) {
      const parsed = partialLimitsSchema.safeParse({ [name]: LIMIT_MAXIMA[name] + 1 });
      expect(parsed.success, name).toBe(false);
      expect(parsed.error?.issues[0]).toMatchObject({ path: [name], message: expect.stringContaining(`at most ${LIMIT_MAXIMA[name]}`) });
    }
  });

  it('names the maximum with its digits grouped, without setting up Intl when it loads (a cost every CLI start paid)', async () => {
    vi.resetModules();
    const toLocaleString = vi.spyOn(Number.prototype, 'toLocaleString');
    try {
      const fresh = await import('./limits.ts');
      expect(toLocaleString).not.toHaveBeenCalled();
      const parsed = fresh.partialLimitsSchema.safeParse({ aiCalls: fresh.LIMIT_MAXIMA.aiCalls + 1 });
      expect(parsed.error?.issues[0]?.message).toBe(`may be at most ${fresh.LIMIT_MAXIMA.aiCalls} (10,000)`);
    } finally {
      toLocaleString.mockRestore();
    }
  });

  it('refuses the wall time `wasmforge run --timeout 2500000` asks for', () => {
    expect(partialLimitsSchema.safeParse({ wallTimeMs: 2_500_000 * 1000 }).success).toBe(false);
  });

  it('keeps every maximum within what the host can honour', () => {
    // Node's timers fire at once past 2^31-1 ms; wasm32 addresses 65,536 pages of 64 KiB.
    expect(LIMIT_MAXIMA.wallTimeMs).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(LIMIT_MAXIMA.computeTimeMs).toBeLessThanOrEqual(2 ** 31 - 1);
    expect(LIMIT_MAXIMA.memoryBytes).toBeLessThanOrEqual(65_536 * 64 * 1024);
    // A prompt arrives inside one request frame; a longer limit could never be reached.
    expect(LIMIT_MAXIMA.promptChars).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
  });

  it('still refuses fractions, negatives and zero where a limit must be positive', () => {
    expect(partialLimitsSchema.safeParse({ wallTimeMs: 1.5 }).success).toBe(false);
    expect(partialLimitsSchema.safeParse({ aiCalls: -1 }).success).toBe(false);
    expect(partialLimitsSchema.safeParse({ outputBytes: 0 }).success).toBe(false);
    expect(partialLimitsSchema.safeParse({ aiCalls: 0, aiTokens: 0 }).success).toBe(true);
  });
});
