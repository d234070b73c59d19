import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlugin, initPlugin } from '../../src/library/workspace.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { LIMIT_MAXIMA } from '../../src/shared/api/schemas/limits.ts';
import { tempHome } from '../marketplace/helpers.ts';

// Every sandbox limit can be lowered from plugin.json, compute time and AI tokens included, and
// none can be raised: the limits read from a real plugin folder go into a real python.wasm run.
let runtime: SandboxRuntime;
let home: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  runtime = new SandboxRuntime({ warmPoolSize: 1 });
  home = await tempHome('limits');
});
afterAll(async () => {
  await runtime?.close();
  await home?.remove();
});

async function manifestLimits(name: string, limits: Record<string, number>) {
  const plugin = await initPlugin(`${home.path}/${name}`, { name, version: '1.0.0', limits });
  return (await openPlugin(plugin.dir)).manifest.limits;
}

const SPIN = 'while True: pass';
const TWO_CALLS = 'from platform_sdk import call_ai\ncall_ai("qwen2.5:1.5b", "one two three four five six")\ncall_ai("qwen2.5:1.5b", "again")';

describe('limits in plugin.json', () => {
  it('lower the compute time', async () => {
    const limits = await manifestLimits('slow-thinker', { computeTimeMs: 300 });
    expect(limits).toEqual({ computeTimeMs: 300 });
    const result = await runtime.run({ code: SPIN, limits: { wallTimeMs: 60_000 }, manifestLimits: limits });
    expect(result.error?.code).toBe('COMPUTE_LIMIT');
  });

  it('lower the AI token budget', async () => {
    expect((await runtime.run({ code: TWO_CALLS })).ok).toBe(true);
    const result = await runtime.run({ code: TWO_CALLS, manifestLimits: await manifestLimits('frugal', { aiTokens: 5 }) });
    expect(result.error?.code).toBe('AI_TOKEN_LIMIT');
  });

  it('never raise compute time or AI tokens above what the settings allow', async () => {
    // The most a manifest may ask for at all, far above what these settings allow.
    const greedy = await manifestLimits('greedy', { computeTimeMs: LIMIT_MAXIMA.computeTimeMs, aiTokens: LIMIT_MAXIMA.aiTokens });
    expect((await runtime.run({ code: SPIN, limits: { wallTimeMs: 60_000, computeTimeMs: 300 }, manifestLimits: greedy })).error?.code).toBe('COMPUTE_LIMIT');
    expect((await runtime.run({ code: TWO_CALLS, limits: { aiTokens: 5 }, manifestLimits: greedy })).error?.code).toBe('AI_TOKEN_LIMIT');
  });
});
