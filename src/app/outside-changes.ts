import type { AppEvent, ChangeEventType } from '../shared/api/schemas/events.ts';
import type { AppEvents } from './app-events.ts';

/** Events come in bursts (a rename is two, a new plugin several): one publish per burst. */
const SETTLE_MS = 150;
/**
 * Writes heard this soon after the app said so itself are taken to be its own (its writes come just
 * before it says so, and are heard just before or after). Short: an outside write this close to an
 * in-app change is missed only if the windows read again before it landed.
 */
const OWN_CHANGE_MS = 100;

/** A file watch that runs only while a client watches the app's events (a one-shot CLI never starts one). */
export interface WatchLifecycle {
  start(): void;
  stop(): void;
  /** Just before the events of a settled burst are published (say, to watch new folders). */
  beforePublish?(): void;
}

/**
 * Turns what a file watch hears into the app's events for changes made by other programs (the CLI,
 * an editor, git): one per burst of writes, and none for a burst the app announced itself. It also
 * starts and stops the watch as clients come and go.
 */
export class OutsideChanges {
  private timer?: NodeJS.Timeout;
  private burstStartedAt = 0;
  private ownChangeAt = -Infinity;
  private publishing = false;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly events: AppEvents, private readonly types: ChangeEventType[], private readonly watch: WatchLifecycle) {
    this.unsubscribe = [
      events.subscribe((event) => {
        if ((types as string[]).includes(event.type) && !this.publishing) this.ownChangeAt = performance.now();
      }),
      events.onWatchers((count) => (count > 0 ? watch.start() : this.stopWatching())),
    ];
  }

  /** Something changed on disk: the events follow once the burst settles. */
  heard(): void {
    if (!this.timer) this.burstStartedAt = performance.now();
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
    if (this.ownChangeAt >= this.burstStartedAt - OWN_CHANGE_MS) return;
    this.publishing = true;
    try {
      // Change events carry nothing but their type.
      for (const type of this.types) this.events.publish({ type } as AppEvent);
    } finally {
      this.publishing = false;
    }
  }
}
