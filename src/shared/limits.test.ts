import { describe, expect, it } from 'vitest';
import { LIMIT_MAXIMA } from './api/schemas/limits.ts';
import { DEFAULT_LIMITS, effectiveLimits, MIN_MEMORY_BYTES } from './limits.ts';

const GiB = 1024 ** 3;

describe('effectiveLimits: settings', () => {
  it('are the defaults with the settings over them, raised as well as lowered', () => {
    expect(effectiveLimits()).toEqual(DEFAULT_LIMITS);
    expect(effectiveLimits({ aiTokens: 500_000, wallTimeMs: 5000 })).toEqual({ ...DEFAULT_LIMITS, aiTokens: 500_000, wallTimeMs: 5000 });
  });

  it('a limit cleared in the settings (undefined) is the default again', () => {
    expect(effectiveLimits({ outputBytes: undefined })).toEqual(DEFAULT_LIMITS);
  });

  it('refuses settings past a maximum as BAD_INPUT naming the limit', () => {
    expect(() => effectiveLimits({ memoryBytes: 8 * GiB })).toThrow(/memoryBytes \(8589934592\) may be at most 4294967296 \(4 GiB\)/);
  });
});

describe('effectiveLimits: a run\'s own limits', () => {
  it('the owner (the local CLI) may raise them past the settings, up to the maxima', () => {
    const limits = effectiveLimits({ memoryBytes: 64 * 2 ** 20 }, undefined, { limits: { memoryBytes: 4 * GiB }, by: 'owner' });
    expect(limits.memoryBytes).toBe(4 * GiB);
    expect(() => effectiveLimits({}, undefined, { limits: { wallTimeMs: LIMIT_MAXIMA.wallTimeMs + 1 }, by: 'owner' })).toThrow(/wallTimeMs/);
  });

  it('a caller (HTTP, IPC) may lower them but never raise them past the settings', () => {
    const settings = { memoryBytes: 64 * 2 ** 20, aiCalls: 5 };
    const limits = effectiveLimits(settings, undefined, { limits: { memoryBytes: 4 * GiB, aiCalls: 2 }, by: 'caller' });
    expect(limits).toMatchObject({ memoryBytes: 64 * 2 ** 20, aiCalls: 2 });
  });

  it('a caller is still refused past the maxima, as the API refuses it', () => {
    expect(() => effectiveLimits({}, undefined, { limits: { aiCalls: -1 }, by: 'caller' })).toThrow(/aiCalls/);
  });

  it('a wall time asked for alone raises the compute time with it, so --timeout is the time the run may take', () => {
    const raised = effectiveLimits({}, undefined, { limits: { wallTimeMs: 300_000 }, by: 'owner' });
    expect(raised).toMatchObject({ wallTimeMs: 300_000, computeTimeMs: 300_000 });
    const shorter = effectiveLimits({}, undefined, { limits: { wallTimeMs: 500 }, by: 'owner' });
    expect(shorter).toMatchObject({ wallTimeMs: 500, computeTimeMs: DEFAULT_LIMITS.computeTimeMs });
    const capped = effectiveLimits({ wallTimeMs: 600_000, computeTimeMs: 60_000 }, undefined, { limits: { wallTimeMs: 300_000 }, by: 'caller' });
    expect(capped).toMatchObject({ wallTimeMs: 300_000, computeTimeMs: 60_000 });
  });
});

describe('effectiveLimits: the manifest', () => {
  it('only lowers, whatever it asks, and ignores values that are not limits', () => {
    const manifest = { aiCalls: 2, wallTimeMs: 10 ** 9, memoryBytes: -5, promptChars: Number.NaN };
    expect(effectiveLimits({}, manifest)).toEqual({ ...DEFAULT_LIMITS, aiCalls: 2 });
  });

  it('lowers even what the owner raised', () => {
    const limits = effectiveLimits({}, { wallTimeMs: 1000 }, { limits: { wallTimeMs: 300_000 }, by: 'owner' });
    expect(limits.wallTimeMs).toBe(1000);
  });

  it('keeps memory at the floor python.wasm needs to start', () => {
    expect(effectiveLimits({}, { memoryBytes: 1024 }).memoryBytes).toBe(MIN_MEMORY_BYTES);
  });
});
