interface Opened<K, T> {
  key: K;
  value: Promise<T>;
  /** Calls using it now. */
  users: number;
}

/**
 * A resource opened on first use, shared while calls are under way, and closed after a few idle
 * seconds. The local database is one process's at a time, so the app must let go of it for
 * `wasmforge` in a terminal. When the key changes (say, the database URL in the settings), every
 * call from then on uses the resource for the new key, even while calls that began before still
 * use the old one: that one closes once its last call is done. A key is never open twice: a call
 * that wants a key being let go of takes that resource back, or waits for its close to finish.
 */
export class OnDemand<K, T extends { close(): Promise<void> }> {
  private current?: Opened<K, T>;
  /** Replaced by another key while calls still used them; each closes after its last call. */
  private readonly retiring = new Set<Opened<K, T>>();
  /** Closes under way, by key: the same key opens again only after its close. */
  private readonly closing = new Map<K, Promise<void>>();
  private users = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly open: (key: K) => Promise<T>, private readonly idleMs = 5000) {}

  async use<R>(key: () => K | Promise<K>, work: (value: T) => Promise<R>): Promise<R> {
    clearTimeout(this.idleTimer);
    this.users += 1;
    let entry: Opened<K, T> | undefined;
    try {
      entry = await this.entryFor(await key());
      entry.users += 1;
      return await work(await entry.value);
    } finally {
      if (entry) this.release(entry);
      this.users -= 1;
      if (this.users === 0) this.idleTimer = setTimeout(() => void this.close(), this.idleMs).unref();
    }
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const open = this.current;
    this.current = undefined;
    if (open) await this.closeEntry(open);
  }

  private async entryFor(wanted: K): Promise<Opened<K, T>> {
    if (this.current && this.current.key !== wanted) this.retire(this.current);
    if (this.current) return this.current;
    const taken = [...this.retiring].find((entry) => entry.key === wanted);
    if (taken) {
      this.retiring.delete(taken);
      this.current = taken;
      return taken;
    }
    await this.closing.get(wanted);
    // Another call may have opened it meanwhile, or asked for yet another key (read again: the await let it change).
    const meanwhile = this.current as Opened<K, T> | undefined;
    if (meanwhile?.key === wanted) return meanwhile;
    if (meanwhile) this.retire(meanwhile);
    const opened = this.openFor(wanted);
    this.current = opened;
    return opened;
  }

  /** No longer the one calls get: closed now if nobody uses it, else after its last call. */
  private retire(entry: Opened<K, T>): void {
    if (this.current === entry) this.current = undefined;
    if (entry.users === 0) void this.closeEntry(entry).catch(() => undefined);
    else this.retiring.add(entry);
  }

  private release(entry: Opened<K, T>): void {
    entry.users -= 1;
    if (entry.users === 0 && this.retiring.delete(entry)) void this.closeEntry(entry).catch(() => undefined);
  }

  /** Closes it (a failed open has nothing to close); the same key waits for this before it opens again. */
  private closeEntry(entry: Opened<K, T>): Promise<void> {
    const closed = entry.value.then((value) => value.close(), () => undefined);
    const settled: Promise<void> = closed.catch(() => undefined).finally(() => {
      if (this.closing.get(entry.key) === settled) this.closing.delete(entry.key);
    });
    this.closing.set(entry.key, settled);
    return closed;
  }

  private openFor(key: K): Opened<K, T> {
    const opening: Opened<K, T> = { key, value: this.open(key), users: 0 };
    opening.value.catch(() => {
      if (this.current === opening) this.current = undefined; // a failed open is retried by the next call
    });
    return opening;
  }
}
