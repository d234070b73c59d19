import type { MarketplaceAccess } from './marketplace-access.ts';

/**
 * Delivers publishes that wait in the outbox once the database is back: while anything waits,
 * it tries every few seconds (the outbox itself makes each delivery idempotent), then sleeps.
 */
export class OutboxRetrier {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly market: MarketplaceAccess,
    private readonly intervalMs: number,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /** Something may wait in the outbox: keep trying until nothing does. */
  wake(): void {
    if (!this.timer && !this.stopped) this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    let waiting = true;
    try {
      waiting = await this.market.use(async (market) => {
        const report = await market.flushOutbox({ all: true });
        if (report.delivered.length > 0) this.log(`delivered ${report.delivered.length} queued publish(es)`);
        return (await market.outboxItems()).some((item) => item.status === 'pending');
      });
    } catch (error) {
      this.log(`could not retry the outbox: ${String(error)}`);
    }
    this.timer = undefined;
    if (waiting && !this.stopped) this.schedule();
  }
}
