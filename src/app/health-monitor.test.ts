import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppEvent } from '../shared/api/schemas/events.ts';
import type { MarketStatus } from '../shared/api/schemas/marketplace.ts';
import type { ModelHealth } from '../shared/api/schemas/system.ts';
import { AppEvents } from './app-events.ts';
import { HealthMonitor, type ConnectionChecks } from './health-monitor.ts';

/** Ollama and a marketplace that tests turn on and off; every check of each is counted. */
function sides() {
  const state = { ollamaUp: true, marketUp: true, latency: 1, ollamaChecks: 0, marketChecks: 0 };
  const checks = {
    ollama: async () => {
      state.ollamaChecks += 1;
      return state.ollamaUp ? { reachable: true, version: '0.12.6', latencyMs: state.latency++ } : { reachable: false, reason: 'connection refused' };
    },
    market: async (): Promise<MarketStatus> => {
      state.marketChecks += 1;
      return {
        mode: 'local', target: '/data', reachable: state.marketUp, latencyMs: state.latency, schema: 'current', user: null, pendingOutbox: 0,
        summary: `reachable in ${state.latency} ms`,
      };
    },
  };
  return { state, checks };
}

const connectionEvents = (heard: AppEvent[]) => heard.filter((event) => event.type === 'connections.changed');

describe('the health monitor', () => {
  let events: AppEvents;
  let fake: ReturnType<typeof sides>;
  let monitor: HealthMonitor;
  beforeEach(() => {
    vi.useFakeTimers();
    events = new AppEvents();
    fake = sides();
    monitor = new HealthMonitor(fake.checks, events, { ollama: { intervalMs: 100, maxIntervalMs: 400 }, market: { intervalMs: 1000, maxIntervalMs: 4000 } });
  });
  afterEach(() => {
    monitor.stop();
    vi.useRealTimers();
  });

  it('checks nothing while no client watches, and stops when the last one leaves', async () => {
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.state.ollamaChecks).toBe(0);
    const stop = events.watch(() => undefined);
    await vi.advanceTimersByTimeAsync(350);
    expect(fake.state.ollamaChecks).toBe(4);
    stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(fake.state.ollamaChecks).toBe(4);
  });

  it('tells every watcher when a side goes down and comes back, and only then (latency is no change)', async () => {
    const first: AppEvent[] = [];
    const second: AppEvent[] = [];
    events.watch((event) => first.push(event));
    events.watch((event) => second.push(event));
    await vi.advanceTimersByTimeAsync(550);
    expect(connectionEvents(first)).toHaveLength(1);
    fake.state.ollamaUp = false;
    await vi.advanceTimersByTimeAsync(100);
    fake.state.ollamaUp = true;
    await vi.advanceTimersByTimeAsync(200);
    const heard = connectionEvents(first).map((event) => event.type === 'connections.changed' && event.ollama.reachable);
    expect(heard).toEqual([true, false, true]);
    expect(second).toEqual(first);
  });

  it('checks the marketplace at its own, slower pace (a check holds the local database), and at once when the outbox changes', async () => {
    events.watch(() => undefined);
    await vi.advanceTimersByTimeAsync(2500);
    expect(fake.state.ollamaChecks).toBe(26);
    expect(fake.state.marketChecks).toBe(3);
    events.publish({ type: 'outbox.changed' });
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.state.marketChecks).toBe(4);
    expect(fake.state.ollamaChecks).toBe(26);
  });

  it('checks at once when the settings change, not at the next tick', async () => {
    const heard: AppEvent[] = [];
    events.watch((event) => heard.push(event));
    await vi.advanceTimersByTimeAsync(10);
    fake.state.marketUp = false;
    events.publish({ type: 'settings.changed' });
    await vi.advanceTimersByTimeAsync(1);
    expect(connectionEvents(heard).at(-1)).toMatchObject({ market: { reachable: false } });
  });

  it('backs off while a side stays down, and checks at the base pace again after a change', async () => {
    fake.state.ollamaUp = false;
    events.watch(() => undefined);
    await vi.advanceTimersByTimeAsync(1);
    const at = (ms: number) => vi.advanceTimersByTimeAsync(ms).then(() => fake.state.ollamaChecks);
    // Waits after the first check: 100 (verdict new), then 200, 400, 400 (the cap).
    expect(await at(98)).toBe(1);
    expect(await at(1)).toBe(2);
    expect(await at(200)).toBe(3);
    expect(await at(400)).toBe(4);
    expect(await at(400)).toBe(5);
    fake.state.ollamaUp = true;
    expect(await at(400)).toBe(6);
    expect(await at(100)).toBe(7);
  });

  it('gives a new watcher the verdict, waiting for the check under way rather than starting another', async () => {
    events.watch(() => undefined);
    const verdict = await monitor.snapshot();
    expect(verdict.ollama).toMatchObject({ reachable: true, version: '0.12.6' });
    expect(fake.state.ollamaChecks).toBe(1);
  });

  it('counts a check that throws as that side unreachable, with the reason', async () => {
    const failing = new HealthMonitor({ ...fake.checks, ollama: () => Promise.reject(new Error('no route to host')) }, new AppEvents());
    const verdict = await failing.checkNow();
    failing.stop();
    expect(verdict.ollama).toEqual({ reachable: false, reason: expect.stringContaining('no route to host') });
    expect(verdict.market.reachable).toBe(true);
  });

  describe('primed at start (the app, serve)', () => {
    /** Holds every Ollama check from now on until released: shows who waits for a check and who does not. */
    function holdOllamaChecks(): () => void {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const check = fake.checks.ollama;
      fake.checks.ollama = async () => {
        await held;
        return check();
      };
      return release;
    }

    /** A monitor primed as serve and the app prime theirs, on events of its own (the monitor of beforeEach would check on each watch too). */
    async function primedMonitor(checks: ConnectionChecks = fake.checks): Promise<{ own: AppEvents; primed: HealthMonitor }> {
      const own = new AppEvents();
      const primed = new HealthMonitor(checks, own);
      primed.prime(10_000);
      await vi.advanceTimersByTimeAsync(1);
      return { own, primed };
    }

    /** The first watcher's snapshot while every Ollama check is held: a verdict, or 'waited' (for a check of its own). */
    async function firstWatcherSees(own: AppEvents, primed: HealthMonitor): Promise<unknown> {
      const release = holdOllamaChecks();
      own.watch(() => undefined);
      const answer = await Promise.race([primed.snapshot(), vi.advanceTimersByTimeAsync(1000).then(() => 'waited')]);
      release();
      return answer;
    }

    it('checks once before anyone watches, and gives the first watcher that verdict without waiting for its own check', async () => {
      const { own, primed } = await primedMonitor();
      expect(fake.state.ollamaChecks).toBe(1);
      await vi.advanceTimersByTimeAsync(5000);
      expect(fake.state.ollamaChecks).toBe(1); // no pace while nobody watches
      expect(await firstWatcherSees(own, primed)).toMatchObject({ ollama: { reachable: true, version: '0.12.6' }, market: { reachable: true } });
      await vi.advanceTimersByTimeAsync(1);
      expect(fake.state.ollamaChecks).toBe(2); // the watcher's own check still ran
      primed.stop();
    });

    it('forgets it when the settings change before anyone watches: the first watcher waits for a check of the new settings', async () => {
      const { own, primed } = await primedMonitor();
      own.publish({ type: 'settings.changed' });
      expect(await firstWatcherSees(own, primed)).toBe('waited');
      primed.stop();
    });

    it('never keeps the answer of a check begun before the settings changed, nor hands it to the first watcher', async () => {
      const ollama = { up: true, answers: [] as Array<() => void> };
      const { own, primed } = await primedMonitor({
        ...fake.checks,
        ollama: () => {
          const up = ollama.up; // what this check saw, answered when the test says
          const health: ModelHealth = up ? { reachable: true, version: '0.12.6', latencyMs: 1 } : { reachable: false, reason: 'refused' };
          return new Promise<ModelHealth>((resolve) => ollama.answers.push(() => resolve(health)));
        },
      });
      ollama.up = false;
      own.publish({ type: 'settings.changed' }); // say, another Ollama host: the check under way is of the old one
      own.watch(() => undefined);
      const snapshot = primed.snapshot();
      ollama.answers.shift()!(); // the old check answers "reachable"
      await vi.advanceTimersByTimeAsync(1);
      while (ollama.answers.length) ollama.answers.shift()!();
      expect((await snapshot).ollama.reachable).toBe(false);
      primed.stop();
    });

    it('forgets a verdict nobody asked for in time: a later first watcher waits for a fresh one', async () => {
      const { own, primed } = await primedMonitor();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(await firstWatcherSees(own, primed)).toBe('waited');
      primed.stop();
    });
  });
});
