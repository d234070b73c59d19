import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/sandbox/embedded/engine.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { findSandboxResources } from '../../src/sandbox/resources.ts';
import { POISONERS, ordinaryRun } from './poisoners.ts';

/**
 * Runs never see each other: a plugin that leaves a request unanswered, or a frame half-written,
 * and exits must not hand anything to the next run on the same worker. One warm worker makes
 * every run reuse the thread the poisoner left, which is where a stale answer would land.
 */
const resources = findSandboxResources();

describe('runs are isolated on one reused embedded worker', () => {
  let runtime: SandboxRuntime;
  beforeAll(() => {
    runtime = new SandboxRuntime({ engines: { embedded: new EmbeddedEngine({ resources, poolSize: 1 }) }, limits: { wallTimeMs: 5000 } });
  });
  afterAll(() => runtime.close());

  it.each(POISONERS)('after a plugin that $name, 4 ordinary runs each get their own output', async ({ code, outcome }) => {
    const poisoned = await runtime.run({ code });
    expect(poisoned.error?.code ?? 'ok').toBe(outcome);
    expect(poisoned.output).toBe('');
    for (let i = 0; i < 4; i++) {
      const result = await ordinaryRun(runtime, i);
      expect(result.error).toBeNull();
      expect(result.output).toBe(result.expected);
    }
  });

  it('20 ordinary runs interleaved with five poisoners all get their own output', async () => {
    const outcomes: boolean[] = [];
    for (let i = 0; i < 25; i++) {
      if (i % 5 === 0) {
        await runtime.run({ code: POISONERS[(i / 5) % POISONERS.length]!.code });
        continue;
      }
      const result = await ordinaryRun(runtime, i);
      outcomes.push(result.error === null && result.output === result.expected);
    }
    expect(outcomes.filter((ok) => !ok)).toHaveLength(0);
    expect(outcomes).toHaveLength(20);
  });
});

describe('a worker is not reused when its guest leaves something behind', () => {
  let engine: EmbeddedEngine;
  let runtime: SandboxRuntime;
  beforeAll(async () => {
    engine = new EmbeddedEngine({ resources, poolSize: 1 });
    runtime = new SandboxRuntime({ engines: { embedded: engine }, limits: { wallTimeMs: 5000 } });
    await runtime.whenWarm();
  });
  afterAll(() => runtime.close());

  const reuses = async (code: string) => {
    const before = engine.workersStarted;
    await runtime.run({ code });
    const healthy = await ordinaryRun(runtime, 0);
    expect(healthy.output).toBe(healthy.expected);
    return engine.workersStarted === before;
  };

  it('keeps the worker after an ordinary run', async () => {
    expect(await reuses('from platform_sdk import send_output\nsend_output("fine")')).toBe(true);
  });

  it('retires the worker when its guest read only part of an answer', async () => {
    const code = `import os\nos.write(1, ${JSON.stringify('\x1eWF:models:2\n{}')}.encode())\nos.read(0, 1)`;
    expect(await reuses(code)).toBe(false);
  });

  it('retires the worker whose guest grew its memory, so the memory goes with it', async () => {
    const result = await runtime.run({ code: 'from platform_sdk import send_output\nx = bytearray(200 * 2**20)\nsend_output(len(x))', limits: { memoryBytes: 512 * 2 ** 20 } });
    expect(result.output).toBe(String(200 * 2 ** 20));
    expect(result.memoryBytes).toBeGreaterThan(200 * 2 ** 20);
    expect(await reuses('x = bytearray(100 * 2**20)')).toBe(false);
  });
});
