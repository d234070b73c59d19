import { watch, type FSWatcher } from 'node:fs';
import type { AppEvents } from './app-events.ts';

/** Events come in bursts (a rename is two, a new plugin several): one library.changed per burst. */
const SETTLE_MS = 150;

/**
 * Plugins added, renamed or removed in the workspace by anything but this backend (the CLI, a file
 * manager, git) reach every open window as library.changed, as the app's own saves do. Watched only
 * while a client watches events: a one-shot CLI never starts it. The workspace folder itself, not
 * recursively: Node 20's recursive watch on Linux crashes when a folder it scans is renamed away.
 */
export class WorkspaceWatch {
  private watcher?: FSWatcher;
  private timer?: NodeJS.Timeout;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly folder: string, private readonly events: AppEvents, private readonly log: (message: string) => void = () => undefined) {
    this.unsubscribe = [
      events.onWatchers((count) => (count > 0 ? this.start() : this.stop())),
      // A fresh data folder has no workspace until the first save makes it: watched from then on.
      events.subscribe((event) => {
        if (event.type === 'library.changed' && events.watcherCount > 0) this.start();
      }),
    ];
  }

  close(): void {
    this.stop();
    this.unsubscribe.forEach((stop) => stop());
  }

  private start(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.folder, { persistent: false }, () => this.changed());
    } catch {
      return; // no workspace yet
    }
    this.watcher.on('error', (error) => {
      this.log(`the workspace is no longer watched for outside changes: ${error.message}`);
      this.stop();
    });
  }

  private stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    clearTimeout(this.timer);
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.events.publish({ type: 'library.changed' }), SETTLE_MS);
    this.timer.unref();
  }
}
