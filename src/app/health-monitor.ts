import { errorInfoOf } from '../shared/api/api-error.ts';
import type { MarketStatus } from '../shared/api/schemas/marketplace.ts';
import type { ModelHealth } from '../shared/api/schemas/system.ts';
import type { AppEvents } from './app-events.ts';
import { SideCheck, type CheckPace } from './side-check.ts';

export interface Connections {
  ollama: ModelHealth;
  market: MarketStatus;
}

/** How to ask each side; a check that throws counts as that side being unreachable, with the reason. */
export interface ConnectionChecks {
  ollama(): Promise<ModelHealth>;
  market(): Promise<MarketStatus>;
}

export interface HealthMonitorOptions {
  /** Ollama's pace: one HTTP request, cheap. Default every 3 s, up to 60 s while it stays down. */
  ollama?: Partial<CheckPace>;
  /**
   * The marketplace's: a check holds the local database (and opens a connection to a shared one),
   * so the periodic one comes less often than the app lets go of the database when idle (5 s), for
   * `wasmforge` in a terminal. It is checked at once whenever something says it moved (settings,
   * outbox, a marketplace call that found the database away). Default every 30 s, up to 5 min.
   */
  market?: Partial<CheckPace>;
}

export const OLLAMA_PACE: CheckPace = { intervalMs: 3000, maxIntervalMs: 60_000 };
export const MARKET_PACE: CheckPace = { intervalMs: 30_000, maxIntervalMs: 300_000 };
/** How long a verdict checked before any window watched is kept for the first one. */
export const PRIMED_VERDICT_MS = 10_000;

/**
 * The one place that decides whether Ollama and the marketplace are there, for every window and
 * tab at once. It checks only while at least one client watches: both at once when the first
 * starts watching and when the settings change, the marketplace when the outbox changes, then each
 * side at its own pace, backing off while it stays down. A verdict that differs from the last one
 * (latency alone is no change: it would flood every client) is published as `connections.changed`.
 */
export class HealthMonitor {
  private readonly ollama: SideCheck<ModelHealth>;
  private readonly market: SideCheck<MarketStatus>;
  private stopped = false;

  constructor(checks: ConnectionChecks, private readonly events: AppEvents, options: HealthMonitorOptions = {}) {
    const wanted = (): boolean => !this.stopped && events.watcherCount > 0;
    const onChange = (): void => this.publish();
    this.ollama = new SideCheck({
      check: () => checks.ollama().catch((error: unknown): ModelHealth => ({ reachable: false, reason: errorInfoOf(error).message })),
      verdict: ({ latencyMs: _latency, ...verdict }) => JSON.stringify(verdict),
      isDown: (health) => !health.reachable,
      pace: pace(OLLAMA_PACE, options.ollama),
      onChange,
      wanted,
    });
    this.market = new SideCheck({
      check: () => checks.market().catch((error: unknown): MarketStatus => unknownMarket(errorInfoOf(error).message)),
      verdict: ({ latencyMs: _latency, summary: _summary, ...verdict }) => JSON.stringify(verdict),
      isDown: (status) => !status.reachable,
      pace: pace(MARKET_PACE, options.market),
      onChange,
      wanted,
    });
    events.onWatchers((count) => (count > 0 ? this.wake() : this.sleep()));
    events.subscribe((event) => {
      if (event.type === 'settings.changed') this.wake();
      if (event.type === 'outbox.changed') this.wake('market');
    });
  }

  /** The last verdict of both, waiting for the checks under way (or new ones) where there is none yet. */
  async snapshot(): Promise<Connections> {
    const [ollama, market] = await Promise.all([this.ollama.current(), this.market.current()]);
    return { ollama, market };
  }

  /**
   * Checks both once before anyone watches: the app and `serve` start a second or more before their
   * first window asks, so that window's badges can show a verdict at once instead of after checks
   * of its own (on two busy cores, half a second). A verdict nobody asked for within `keepMs` is
   * forgotten, so no watcher gets an older one; the first watcher's wake-up checks again anyway
   * and publishes any change.
   */
  prime(keepMs = PRIMED_VERDICT_MS): void {
    if (this.stopped || this.events.watcherCount > 0) return;
    void this.checkNow().then(() => {
      const expiry = setTimeout(() => {
        if (this.events.watcherCount === 0) this.sleep();
      }, keepMs);
      expiry.unref();
    });
  }

  /** Checks both now (or right after the checks under way), whether or not anyone listens. */
  async checkNow(): Promise<Connections> {
    const [ollama, market] = await Promise.all([this.ollama.run(), this.market.run()]);
    return { ollama, market };
  }

  /** Something may have moved (a settings save, a marketplace call that failed): check now, if anyone listens. */
  wake(side?: 'ollama' | 'market'): void {
    if (this.stopped) return;
    if (this.events.watcherCount === 0) {
      // Nobody to tell now; a verdict kept from the start (prime) may no longer hold.
      if (side !== 'market') this.ollama.forget();
      if (side !== 'ollama') this.market.forget();
      return;
    }
    if (side !== 'market') this.ollama.wake();
    if (side !== 'ollama') this.market.wake();
  }

  /**
   * A marketplace call just got its answer from the database: if the last verdict said it was away,
   * check now, so every badge comes back online without waiting for the next check.
   */
  marketAnswered(): void {
    if (this.market.last && !this.market.last.reachable) this.wake('market');
  }

  stop(): void {
    this.stopped = true;
    this.sleep();
  }

  private sleep(): void {
    this.ollama.forget();
    this.market.forget();
  }

  private publish(): void {
    const { last: ollama } = this.ollama;
    const { last: market } = this.market;
    if (ollama && market) this.events.publish({ type: 'connections.changed', ollama, market });
  }
}

function pace(base: CheckPace, wanted: Partial<CheckPace> = {}): CheckPace {
  const intervalMs = wanted.intervalMs ?? base.intervalMs;
  return { intervalMs, maxIntervalMs: Math.max(intervalMs, wanted.maxIntervalMs ?? base.maxIntervalMs) };
}

function unknownMarket(reason: string): MarketStatus {
  return { mode: 'local', target: '', reachable: false, latencyMs: null, schema: 'unknown', user: null, pendingOutbox: null, summary: reason, problem: 'unreachable' };
}
