import type { AppEvents } from './app-events.ts';
import type { MarketplaceAccess } from './marketplace-access.ts';

/**
 * Delivers publishes that wait in the outbox once the database is back. It looks every
 * `intervalMs` (or, when the earliest due attempt is later, sleeps until then) and sends only what
 * is due: each failed attempt pushes an item's next attempt back (2 s, 4 s … 15 min), so a
 * database that is down or overloaded is not hammered. The outbox makes each delivery idempotent.
 */
export class OutboxRetrier {
  private timer?: NodeJS.Timeout;
  private timerDueAt = Infinity;
  private running = false;
  private stopped = false;

  constructor(
    private readonly market: MarketplaceAccess,
    private readonly intervalMs: number,
    private readonly log: (message: string) => void = () => undefined,
    private readonly events?: AppEvents,
  ) {}

  /**
   * Something may wait in the outbox: look again within one interval (or `delayMs`), until nothing
   * does. The settings call it with 0 when the marketplace changes: what waits follows it at once.
   */
  wake(delayMs = this.intervalMs): void {
    this.scheduleIn(delayMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Keeps the earlier of the timer already set and this one. */
  private scheduleIn(delayMs: number): void {
    const dueAt = Date.now() + delayMs;
    if (this.stopped || (this.timer && this.timerDueAt <= dueAt)) return;
    clearTimeout(this.timer);
    this.timerDueAt = dueAt;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    this.timerDueAt = Infinity;
    if (this.running) return this.scheduleIn(this.intervalMs);
    this.running = true;
    let nextDue: number | null = Date.now();
    try {
      nextDue = await this.market.use(async (market) => {
        const report = await market.flushOutbox();
        if (report.delivered.length > 0) this.log(`delivered ${report.delivered.length} queued publish(es)`);
        // Delivered or refused in the background: "Your publishes", the badges and the catalog change for every client.
        if (report.delivered.length > 0 || report.failed.length > 0) this.events?.publish({ type: 'outbox.changed' });
        if (report.delivered.length > 0) this.events?.publish({ type: 'market.changed' });
        const pending = (await market.outboxItems()).filter((item) => item.status === 'pending');
        return pending.length === 0 ? null : Math.min(...pending.map((item) => Date.parse(item.nextAttemptAt)));
      });
    } catch (error) {
      this.log(`could not retry the outbox: ${String(error)}`);
    } finally {
      this.running = false;
    }
    if (nextDue !== null) this.scheduleIn(Math.max(this.intervalMs, nextDue - Date.now()));
  }
}
