import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppEvent, ChangeEventType } from '../shared/api/schemas/events.ts';
import type { AppEvents } from './app-events.ts';

/** Events come in bursts (a rename is two, a new plugin several): one publish per burst. */
const SETTLE_MS = 150;

/** A file watch that runs only while a client watches the app's events (a one-shot CLI never starts one). */
export interface WatchLifecycle {
  start(): void;
  stop(): void;
  /**
   * What the watched files are now (names, inodes, sizes, times): a burst after which they are as
   * they were when the app announced its own change is that change, said once already.
   */
  state(): string;
  /** Just before the events of a settled burst are published (say, to watch new folders). */
  beforePublish?(): void;
}

/**
 * Turns what a file watch hears into the app's events for changes made by other programs (the CLI,
 * an editor, git): one per burst of writes, and none for a burst that only made the files what they
 * were when the app announced a change itself. It also starts and stops the watch as clients come and go.
 */
export class OutsideChanges {
  private timer?: NodeJS.Timeout;
  /** The files as they were last announced (by the app, or by this watch); undefined: nothing announced yet. */
  private announced?: string;
  private publishing = false;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly events: AppEvents, private readonly types: ChangeEventType[], private readonly watch: WatchLifecycle) {
    this.unsubscribe = [
      events.subscribe((event) => {
        // The app's own change is announced after its writes: the files as they are now are what it announced.
        if ((types as string[]).includes(event.type) && !this.publishing && events.watcherCount > 0) this.announced = watch.state();
      }),
      events.onWatchers((count) => (count > 0 ? watch.start() : this.stopWatching())),
    ];
  }

  /** Something changed on disk: the events follow once the burst settles. */
  heard(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.settled(), SETTLE_MS);
    this.timer.unref();
  }

  close(): void {
    this.stopWatching();
    this.unsubscribe.forEach((stop) => stop());
  }

  /** The watch stops, and a burst not yet published is forgotten. */
  private stopWatching(): void {
    this.watch.stop();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private settled(): void {
    this.timer = undefined;
    this.watch.beforePublish?.();
    const now = this.watch.state();
    if (now === this.announced) return;
    this.announced = now;
    this.publishing = true;
    try {
      // Change events carry nothing but their type.
      for (const type of this.types) this.events.publish({ type } as AppEvent);
    } finally {
      this.publishing = false;
    }
  }
}

/** What these files are now, as WatchLifecycle.state says it (a missing one too). */
export function filesState(paths: string[]): string {
  return paths.map((path) => {
    try {
      const { ino, size, mtimeMs } = statSync(path);
      return `${path}:${ino}:${size}:${mtimeMs}`;
    } catch {
      return `${path}:-`;
    }
  }).join('\n');
}

/** What these folders hold now: each entry's state, in name order. */
export function foldersState(dirs: string[]): string {
  return dirs.map((dir) => {
    try {
      return filesState(readdirSync(dir).sort().map((name) => join(dir, name)));
    } catch {
      return `${dir}:-`;
    }
  }).join('\n');
}
