import type { AppEvent } from '../shared/api/schemas/events.ts';

type Listener = (event: AppEvent) => void;

/**
 * The backend's one broadcast: handlers and background work publish what they changed, and every
 * watcher (each window over IPC, each browser tab over SSE, the health monitor) hears it. A
 * listener that throws is a bug of its own and never stops the others from hearing.
 */
export class AppEvents {
  private readonly listeners = new Set<Listener>();
  private readonly watcherCounts = new Set<(count: number) => void>();
  private watchers = 0;

  constructor(private readonly log: (message: string) => void = () => undefined) {}

  publish(event: AppEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log(`an event listener failed on ${event.type}: ${String(error)}`);
      }
    }
  }

  /** Hears every event published from now on, until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** A client watches (events.watch): counted, so the health monitor runs only while someone listens. */
  watch(listener: Listener): () => void {
    const unsubscribe = this.subscribe(listener);
    this.setWatchers(this.watchers + 1);
    let watching = true;
    return () => {
      if (!watching) return;
      watching = false;
      unsubscribe();
      this.setWatchers(this.watchers - 1);
    };
  }

  get watcherCount(): number {
    return this.watchers;
  }

  /** Told the number of watching clients whenever it changes. */
  onWatchers(listener: (count: number) => void): () => void {
    this.watcherCounts.add(listener);
    return () => void this.watcherCounts.delete(listener);
  }

  private setWatchers(count: number): void {
    this.watchers = count;
    this.watcherCounts.forEach((listener) => listener(count));
  }
}
