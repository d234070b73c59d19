/** How often one side is checked: every `intervalMs`, each wait doubling while it stays down unchanged, up to `maxIntervalMs`. */
export interface CheckPace {
  intervalMs: number;
  maxIntervalMs: number;
}

export interface SideCheckOptions<T> {
  check: () => Promise<T>;
  /** What a change is: two results with the same verdict are the same (latencies differ at every check). */
  verdict: (result: T) => string;
  isDown: (result: T) => boolean;
  pace: CheckPace;
  /** Told after a check whose verdict differs from the last one. */
  onChange: () => void;
  /** Whether to keep checking (someone listens). */
  wanted: () => boolean;
}

/**
 * One side the health monitor watches (Ollama, the marketplace): one check at a time, a check asked
 * for during another runs right after it (so no answer is older than the ask), and the next one
 * scheduled by the pace.
 */
export class SideCheck<T> {
  /** The last result; undefined before the first check and after forget(). */
  last?: T;
  private inFlight?: Promise<T>;
  private queued?: Promise<T>;
  private timer?: NodeJS.Timeout;
  private unchangedWhileDown = 0;
  /** Bumped by forget(): a check that began before it is not kept as the last result. */
  private generation = 0;
  private inFlightGeneration = 0;

  constructor(private readonly options: SideCheckOptions<T>) {}

  /** The last result, or the one of the check under way (or a new one) when there is none. */
  current(): Promise<T> {
    if (this.last !== undefined) return Promise.resolve(this.last);
    // A check begun before forget() answers for what was checked then: ask for one after it.
    return this.inFlight && this.inFlightGeneration === this.generation ? this.inFlight : this.run();
  }

  /** Checks now, or right after the check under way. */
  run(): Promise<T> {
    if (this.inFlight) {
      this.queued ??= this.inFlight.then(() => {
        this.queued = undefined;
        return this.run();
      });
      return this.queued;
    }
    this.inFlightGeneration = this.generation;
    this.inFlight = this.once().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Something may have moved: back to the base pace, checked now. */
  wake(): void {
    this.unchangedWhileDown = 0;
    void this.run();
  }

  /** Nobody listens: no more checks, and the next listener gets a fresh result rather than a stale one. */
  forget(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.last = undefined;
    this.generation += 1;
  }

  private async once(): Promise<T> {
    const generation = this.generation;
    const next = await this.options.check();
    // Forgotten meanwhile (nobody listens, or what it checked changed): its answer is no verdict to keep.
    if (generation !== this.generation) return next;
    const changed = this.last === undefined || this.options.verdict(this.last) !== this.options.verdict(next);
    this.last = next;
    this.unchangedWhileDown = changed || !this.options.isDown(next) ? 0 : this.unchangedWhileDown + 1;
    if (changed) this.options.onChange();
    this.scheduleNext();
    return next;
  }

  private scheduleNext(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.options.wanted()) return;
    const { intervalMs, maxIntervalMs } = this.options.pace;
    this.timer = setTimeout(() => void this.run(), Math.min(intervalMs * 2 ** this.unchangedWhileDown, maxIntervalMs));
    this.timer.unref();
  }
}
