import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
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
  private readonly stopCounting: () => void;

  constructor(private readonly folder: string, private readonly events: AppEvents, private readonly log: (message: string) => void = () => undefined) {
    this.stopCounting = events.onWatchers((count) => (count > 0 ? this.start() : this.stop()));
  }

  close(): void {
    this.stop();
    this.stopCounting();
  }

  private start(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.folder, { persistent: false }, () => this.changed());
    } catch {
      this.awaitFolder();
      return;
    }
    this.watcher.on('error', (error) => {
      this.log(`the workspace is no longer watched for outside changes: ${error.message}`);
      this.stop();
    });
  }

  /**
   * A fresh data folder has no workspace until the first plugin is made (by the app or `wasmforge
   * init`): the data folder is watched for it, and the workspace from then on.
   */
  private awaitFolder(): void {
    try {
      this.watcher = watch(dirname(this.folder), { persistent: false }, (_event, name) => {
        if (name !== basename(this.folder)) return;
        this.stop();
        this.start();
        this.changed();
      });
    } catch {
      return; // no data folder either: nothing to watch until a client comes again
    }
    this.watcher.on('error', () => this.stop());
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
