import { readdirSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TESTS_DIR } from '../library/workspace.ts';
import type { AppEvents } from './app-events.ts';
import { foldersState, OutsideChanges } from './outside-changes.ts';

/**
 * Plugins added, renamed, removed or edited in the workspace by anything but this backend (the
 * CLI, a file manager, git, an editor) reach every open window as library.changed, as the app's own
 * saves do; so do test cases written into a plugin's tests folder (by hand, or by `wasmforge run
 * --save-test`). Watched only while a client watches events: a one-shot CLI never starts it.
 * Each folder is watched on its own (the workspace, each plugin, each plugin's tests), not
 * recursively: Node 20's recursive watch on Linux crashes when a folder it scans is renamed away.
 */
export class WorkspaceWatch {
  private root?: FSWatcher;
  /** Plugin folders and their tests folders, by path. */
  private readonly inside = new Map<string, FSWatcher>();
  /** The app's own saves say library.changed themselves: their writes heard here are not said again. */
  private readonly changes: OutsideChanges;

  constructor(private readonly folder: string, events: AppEvents, private readonly log: (message: string) => void = () => undefined) {
    this.changes = new OutsideChanges(events, ['library.changed'], {
      start: () => this.start(),
      stop: () => this.stop(),
      state: () => foldersState([this.folder, ...this.pluginFolders()]),
      beforePublish: () => {
        if (this.root) this.watchPlugins();
      },
    });
  }

  close(): void {
    this.changes.close();
  }

  private start(): void {
    if (this.root) return;
    try {
      this.root = watch(this.folder, { persistent: false }, () => this.changes.heard());
    } catch {
      this.awaitFolder();
      return;
    }
    this.root.on('error', (error) => {
      this.log(`the workspace is no longer watched for outside changes: ${error.message}`);
      this.stop();
    });
    this.watchPlugins();
  }

  /**
   * A fresh data folder has no workspace until the first plugin is made (by the app or `wasmforge
   * init`): the data folder is watched for it, and the workspace from then on.
   */
  private awaitFolder(): void {
    try {
      this.root = watch(dirname(this.folder), { persistent: false }, (_event, name) => {
        if (name !== basename(this.folder)) return;
        this.stop();
        this.start();
        this.changes.heard();
      });
    } catch {
      return; // no data folder either: nothing to watch until a client comes again
    }
    this.root.on('error', () => this.stop());
  }

  /** Watches every plugin folder and tests folder there is now, and stops watching those gone. */
  private watchPlugins(): void {
    const wanted = new Set(this.pluginFolders());
    for (const [path, watcher] of this.inside) {
      if (wanted.has(path)) continue;
      watcher.close();
      this.inside.delete(path);
    }
    for (const path of wanted) if (!this.inside.has(path)) this.watchInside(path);
  }

  /** Each plugin folder in the workspace now, and its tests folder when it has one. */
  private pluginFolders(): string[] {
    return subfolders(this.folder).flatMap((plugin) => {
      const dir = join(this.folder, plugin);
      return subfolders(dir).includes(TESTS_DIR) ? [dir, join(dir, TESTS_DIR)] : [dir];
    });
  }

  private watchInside(path: string): void {
    try {
      const watcher = watch(path, { persistent: false }, () => this.changes.heard());
      // A folder renamed or removed meanwhile: the next change of the workspace settles the set again.
      watcher.on('error', () => {
        watcher.close();
        if (this.inside.get(path) === watcher) this.inside.delete(path);
      });
      this.inside.set(path, watcher);
    } catch {
      // Gone between the listing and the watch: nothing to watch there.
    }
  }

  private stop(): void {
    this.root?.close();
    this.root = undefined;
    for (const watcher of this.inside.values()) watcher.close();
    this.inside.clear();
  }

}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch {
    return [];
  }
}
