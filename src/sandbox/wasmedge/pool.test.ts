import { describe, expect, it } from 'vitest';
import type { GuestSpec } from '../engine.ts';
import { WarmPool, type PoolableGuest } from './pool.ts';

/** A stand-in for a started guest: the pool's bookkeeping is tested here, not processes. */
class TestGuest implements PoolableGuest {
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  alive = true;
  killed = false;
  private settle!: { resolve(): void; reject(error: Error): void };
  private exit!: () => void;

  constructor(readonly spec: GuestSpec) {
    this.ready = new Promise((resolve, reject) => { this.settle = { resolve, reject }; });
    this.ready.catch(() => undefined);
    this.exited = new Promise((resolve) => { this.exit = resolve; });
  }

  becomeReady(): void { this.settle.resolve(); }
  failStart(): void { this.settle.reject(new Error('could not start')); this.die(); }
  die(): void { this.alive = false; this.exit(); }
  kill(): void { this.killed = true; this.die(); }
}

const spec: GuestSpec = { memoryPages: 4096, logBytes: 1 << 20, outputBytes: 1 << 20, wallTimeMs: 120_000 };
const otherSpec: GuestSpec = { ...spec, memoryPages: 2048 };
const tick = () => new Promise((r) => setTimeout(r, 0));

function makePool(size = 2, idleMaxMs = 60_000) {
  const launched: TestGuest[] = [];
  const pool = new WarmPool<TestGuest>({
    size, idleMaxMs,
    keyOf: (s) => `${s.memoryPages}:${s.wallTimeMs}`,
    launch: (s) => { const g = new TestGuest(s); launched.push(g); return g; },
  });
  return { pool, launched };
}

describe('WarmPool', () => {
  it('starts guests ahead for the prewarmed spec and hands each out once, replacing it', () => {
    const { pool, launched } = makePool(2);
    pool.prewarm(spec);
    expect(launched).toHaveLength(2);
    const first = pool.take(spec);
    const second = pool.take(spec);
    expect(first).toBe(launched[0]);
    expect(second).toBe(launched[1]);
    expect(launched).toHaveLength(4); // each take started a replacement
    expect(pool.size).toBe(2);
    pool.close();
  });

  it('does not hand out a guest for another spec, and switches specs on prewarm', () => {
    const { pool, launched } = makePool(1);
    pool.prewarm(spec);
    expect(pool.take(otherSpec)).toBeUndefined();
    pool.prewarm(otherSpec);
    expect(launched[0]!.killed).toBe(true);
    expect(pool.take(otherSpec)?.spec).toBe(otherSpec);
    pool.close();
  });

  it('replaces a guest that died while waiting, and one that waited too long', async () => {
    const { pool, launched } = makePool(1, 20);
    pool.prewarm(spec);
    launched[0]!.becomeReady();
    launched[0]!.die();
    await tick();
    expect(launched).toHaveLength(2);
    expect(pool.take(spec)).toBe(launched[1]);
    await new Promise((r) => setTimeout(r, 40));
    // launched[2] (the replacement of the taken one) was retired after 20 ms and replaced.
    expect(launched[2]!.killed).toBe(true);
    expect(launched[1]!.killed).toBe(false);
    pool.close();
  });

  it('backs off instead of spinning when guests cannot start', async () => {
    const { pool, launched } = makePool(1);
    pool.prewarm(spec);
    launched[0]!.failStart();
    await tick();
    expect(launched).toHaveLength(1); // the retry waits
    expect(pool.take(spec)).toBeUndefined();
    pool.close();
  });

  it('renews waiting guests (e.g. when the AOT module is ready) and kills all on close', () => {
    const { pool, launched } = makePool(2);
    pool.prewarm(spec);
    pool.renew();
    expect(launched.slice(0, 2).every((g) => g.killed)).toBe(true);
    expect(pool.size).toBe(2);
    pool.close();
    expect(launched.every((g) => g.killed)).toBe(true);
    pool.prewarm(spec);
    expect(launched).toHaveLength(4);
  });

  it('stays empty with size 0', () => {
    const { pool, launched } = makePool(0);
    pool.prewarm(spec);
    expect(launched).toHaveLength(0);
    expect(pool.take(spec)).toBeUndefined();
  });
});
