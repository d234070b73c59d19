import type { GuestSpec } from '../engine.ts';

/** What the pool needs from a guest; WasmEdgeGuest provides it (tests may use plain objects). */
export interface PoolableGuest {
  readonly ready: Promise<void>;
  readonly exited: Promise<unknown>;
  readonly alive: boolean;
  kill(): void;
}

export interface WarmPoolOptions<G extends PoolableGuest> {
  /** Guests kept started ahead for the prewarmed spec. */
  size: number;
  /** A warm guest older than this is replaced: WasmEdge's --time-limit clock runs while it waits. */
  idleMaxMs: number;
  launch(spec: GuestSpec): G;
  keyOf(spec: GuestSpec): string;
}

const MAX_BACKOFF_MS = 60_000;

/**
 * Guests started ahead (interpreter up, SDK imported, runner waiting for its job), each used once
 * and replaced in the background. Only the most recently prewarmed spec is kept warm: every guest
 * costs a process and a few hundred MB.
 */
export class WarmPool<G extends PoolableGuest> {
  private idle: G[] = [];
  private wanted?: { key: string; spec: GuestSpec };
  private failures = 0;
  private refillTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: WarmPoolOptions<G>) {}

  get size(): number {
    return this.idle.length;
  }

  prewarm(spec: GuestSpec): void {
    if (this.closed || this.options.size <= 0) return;
    const key = this.options.keyOf(spec);
    if (this.wanted?.key !== key) {
      this.killIdle();
      this.failures = 0;
    }
    this.wanted = { key, spec };
    this.fill();
  }

  /** A started guest for this spec (it may still be starting), or undefined; a replacement follows. */
  take(spec: GuestSpec): G | undefined {
    if (this.wanted?.key !== this.options.keyOf(spec)) return undefined;
    const index = this.idle.findIndex((guest) => guest.alive);
    if (index < 0) return undefined;
    const [guest] = this.idle.splice(index, 1);
    this.fill();
    return guest;
  }

  /** Replaces every waiting guest, e.g. when the AOT module becomes ready and new guests run faster. */
  renew(): void {
    this.killIdle();
    this.fill();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.refillTimer);
    this.killIdle();
  }

  private fill(): void {
    if (this.closed || !this.wanted || this.refillTimer) return;
    this.idle = this.idle.filter((guest) => guest.alive);
    while (this.idle.length < this.options.size) {
      const guest = this.options.launch(this.wanted.spec);
      this.idle.push(guest);
      this.watch(guest);
    }
  }

  private watch(guest: G): void {
    guest.ready.then(() => { this.failures = 0; }, () => this.onStartFailure(guest));
    void guest.exited.then(() => this.drop(guest, false));
    const retire = setTimeout(() => this.drop(guest, true), this.options.idleMaxMs);
    retire.unref();
    void guest.exited.finally(() => clearTimeout(retire));
  }

  /** A guest that could not start: try again later, backing off, so a broken setup never spins. */
  private onStartFailure(guest: G): void {
    // Only a guest still waiting here counts: one the pool or a run killed on purpose does not.
    if (!this.remove(guest)) return;
    this.failures++;
    if (this.closed || this.refillTimer) return;
    const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.failures);
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      this.fill();
    }, delay);
    this.refillTimer.unref();
  }

  private drop(guest: G, kill: boolean): void {
    if (!this.remove(guest)) return;
    if (kill) guest.kill();
    this.fill();
  }

  private remove(guest: G): boolean {
    const index = this.idle.indexOf(guest);
    if (index < 0) return false;
    this.idle.splice(index, 1);
    return true;
  }

  private killIdle(): void {
    const guests = this.idle;
    this.idle = [];
    for (const guest of guests) guest.kill();
  }
}
