/**
 * A resource opened on first use, shared while calls are under way, and closed after a few idle
 * seconds. The local database is one process's at a time, so the app must let go of it for
 * `wasmforge` in a terminal. When the key changes (say, the database URL in the settings), the next
 * call that finds nobody else using the old one reopens it.
 */
export class OnDemand<K, T extends { close(): Promise<void> }> {
  private current?: { key: K; value: Promise<T> };
  private users = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly open: (key: K) => Promise<T>, private readonly idleMs = 5000) {}

  async use<R>(key: () => K | Promise<K>, work: (value: T) => Promise<R>): Promise<R> {
    clearTimeout(this.idleTimer);
    this.users += 1;
    try {
      const wanted = await key();
      if (this.current && this.current.key !== wanted && this.users === 1) await this.close();
      return await work(await (this.current ??= this.openFor(wanted)).value);
    } finally {
      this.users -= 1;
      if (this.users === 0) this.idleTimer = setTimeout(() => void this.close(), this.idleMs).unref();
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const open = this.current;
    this.current = undefined;
    if (open) await (await open.value.catch(() => undefined))?.close();
  }

  private openFor(key: K): { key: K; value: Promise<T> } {
    const opening = { key, value: this.open(key) };
    opening.value.catch(() => {
      if (this.current === opening) this.current = undefined; // a failed open is retried by the next call
    });
    return opening;
  }
}
