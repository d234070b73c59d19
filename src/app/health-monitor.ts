import { errorInfoOf } from '../shared/api/api-error.ts';
import type { MarketStatus } from '../shared/api/schemas/marketplace.ts';
import type { ModelHealth } from '../shared/api/schemas/system.ts';
import type { AppEvents } from './app-events.ts';

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
  /** Between checks while nothing is down; default HEALTH_INTERVAL_MS. */
  intervalMs?: number;
  /** The longest wait between checks while something stays down; default MAX_HEALTH_INTERVAL_MS. */
  maxIntervalMs?: number;
}

export const HEALTH_INTERVAL_MS = 3000;
export const MAX_HEALTH_INTERVAL_MS = 60_000;

/**
 * The one place that decides whether Ollama and the marketplace are there, for every window and
 * tab at once. It checks only while at least one client watches: at once when the first starts
 * watching and when the settings or the outbox change, then every `intervalMs`; while a side stays
 * down with nothing changing, each wait doubles (up to `maxIntervalMs`) so a dead database is not
 * hammered. A verdict that differs from the last one is published as `connections.changed`
 * (latency alone is not a change: it would flood every client with events).
 */
export class HealthMonitor {
  private current?: Connections;
  private inFlight?: Promise<Connections>;
  private queued?: Promise<Connections>;
  private timer?: NodeJS.Timeout;
  private unchangedWhileDown = 0;
  private stopped = false;
  private readonly intervalMs: number;
  private readonly maxIntervalMs: number;

  constructor(private readonly checks: ConnectionChecks, private readonly events: AppEvents, options: HealthMonitorOptions = {}) {
    this.intervalMs = options.intervalMs ?? HEALTH_INTERVAL_MS;
    this.maxIntervalMs = Math.max(this.intervalMs, options.maxIntervalMs ?? MAX_HEALTH_INTERVAL_MS);
    events.onWatchers((count) => (count > 0 ? this.wake() : this.sleep()));
    events.subscribe((event) => {
      if (event.type === 'settings.changed' || event.type === 'outbox.changed') this.wake();
    });
  }

  /** The last verdict, or the one of the check under way (or a new one) when there is none yet. */
  snapshot(): Promise<Connections> {
    return this.current ? Promise.resolve(this.current) : this.inFlight ?? this.checkNow();
  }

  /** Checks now, or right after the check under way, so no verdict is older than the ask. */
  checkNow(): Promise<Connections> {
    if (this.inFlight) {
      this.queued ??= this.inFlight.then(() => {
        this.queued = undefined;
        return this.checkNow();
      });
      return this.queued;
    }
    this.inFlight = this.check().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Something may have moved (a settings save, a marketplace call that failed): check now if anyone listens. */
  wake(): void {
    this.unchangedWhileDown = 0;
    if (this.events.watcherCount > 0 && !this.stopped) void this.checkNow();
  }

  stop(): void {
    this.stopped = true;
    this.sleep();
  }

  private sleep(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Nobody hears it while no one watches: the next watcher gets a fresh verdict, not a stale one.
    if (this.events.watcherCount === 0) this.current = undefined;
  }

  private async check(): Promise<Connections> {
    const [ollama, market] = await Promise.all([
      this.checks.ollama().catch((error: unknown): ModelHealth => ({ reachable: false, reason: errorInfoOf(error).message })),
      this.checks.market().catch((error: unknown): MarketStatus => unknownMarket(errorInfoOf(error).message)),
    ]);
    const next = { ollama, market };
    const changed = !this.current || verdictOf(this.current) !== verdictOf(next);
    this.current = next;
    if (changed) this.events.publish({ type: 'connections.changed', ...next });
    this.unchangedWhileDown = changed || (ollama.reachable && market.reachable) ? 0 : this.unchangedWhileDown + 1;
    this.scheduleNext();
    return next;
  }

  private scheduleNext(): void {
    clearTimeout(this.timer);
    if (this.stopped || this.events.watcherCount === 0) return;
    const delay = Math.min(this.intervalMs * 2 ** this.unchangedWhileDown, this.maxIntervalMs);
    this.timer = setTimeout(() => void this.checkNow(), delay);
    this.timer.unref();
  }
}

/** What a badge says, without the latencies (which change with every check). */
function verdictOf({ ollama, market }: Connections): string {
  const { latencyMs: _ollamaLatency, ...ollamaVerdict } = ollama;
  const { latencyMs: _marketLatency, summary: _summary, ...marketVerdict } = market;
  return JSON.stringify([ollamaVerdict, marketVerdict]);
}

function unknownMarket(reason: string): MarketStatus {
  return { mode: 'local', target: '', reachable: false, latencyMs: null, schema: 'unknown', user: null, pendingOutbox: null, summary: reason };
}
