import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { AppEvents } from './app-events.ts';
import { filesState, OutsideChanges } from './outside-changes.ts';

/**
 * settings.json written by anything but this backend (`wasmforge models approve` in a terminal,
 * an editor) reaches every open window as settings.changed and models.changed (the allow-list is
 * in it), as the app's own changes do. Watched only while a client watches events. Its folder is
 * watched, not the file: a save replaces the file (a new one renamed over it), which a watch of the
 * old file would not follow.
 */
export class SettingsWatch {
  private watcher?: FSWatcher;
  private readonly changes: OutsideChanges;

  constructor(private readonly file: string, events: AppEvents) {
    this.changes = new OutsideChanges(events, ['settings.changed', 'models.changed'], {
      start: () => this.start(), stop: () => this.stop(), state: () => filesState([this.file]),
    });
  }

  close(): void {
    this.changes.close();
  }

  private start(): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(dirname(this.file), { persistent: false }, (_event, name) => {
        if (name === basename(this.file)) this.changes.heard();
      });
    } catch {
      return; // no data folder yet: the next client to watch tries again
    }
    this.watcher.on('error', () => this.stop());
  }

  private stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
