import { resolveDataHome } from './home.ts';
import { clearRuns, getRun, listRuns, pruneRuns, recordRun, type NewRun, type StoredRun } from './history.ts';
import { assertRunnable, getInstalled, listInstalled, removeInstalled, type InstalledCopy, type InstalledPlugin } from './installed.ts';
import { assertPinned, readPin } from './key-pins.ts';
import { openLocalDatabase, type LocalDatabase } from './local-db.ts';
import { parsePluginSpec } from './manifest.ts';
import * as workspace from './workspace.ts';

/**
 * The local library of one data folder: the author's workspace folders, installed plugins
 * (verified before use) and run history. The marketplace side (publish, install, search)
 * is `Marketplace` in src/marketplace.
 */
export class Library {
  /** Workspace folders: init, open, saveCode, saveManifest, renamePlugin, deletePlugin, listWorkspace. */
  readonly workspace = workspace;

  private constructor(readonly home: string, private readonly local: LocalDatabase) {}

  static async open(home?: string): Promise<Library> {
    const dataHome = resolveDataHome(home);
    return new Library(dataHome, await openLocalDatabase(dataHome));
  }

  listInstalled(): Promise<InstalledPlugin[]> {
    return listInstalled(this.local.db);
  }

  /** The stored copy, unverified (for display); use `verifiedCopy` before running it. */
  getInstalled(name: string): Promise<InstalledCopy> {
    return getInstalled(this.local.db, parsePluginSpec(name).name);
  }

  /** The copy, after sha256 + signature verification against the pinned key (TAMPERED) and the revocation check (REVOKED). */
  async verifiedCopy(name: string): Promise<InstalledCopy> {
    const copy = await this.getInstalled(name);
    assertRunnable(copy);
    assertPinned(copy, await readPin(this.local.db, copy.name));
    return copy;
  }

  async uninstall(name: string): Promise<void> {
    await removeInstalled(this.local.db, parsePluginSpec(name).name);
  }

  recordRun(run: NewRun): Promise<number> {
    return recordRun(this.local.db, run);
  }

  getRun(key: string): Promise<StoredRun | undefined> {
    return getRun(this.local.db, key);
  }

  pruneRuns(keep: number): Promise<number> {
    return pruneRuns(this.local.db, keep);
  }

  listRuns(options: { plugin?: string; limit?: number } = {}): Promise<StoredRun[]> {
    return listRuns(this.local.db, options);
  }

  clearRuns(plugin?: string): Promise<number> {
    return clearRuns(this.local.db, plugin);
  }

  close(): Promise<void> {
    return this.local.release();
  }
}

export function createLibrary(home?: string): Promise<Library> {
  return Library.open(home);
}
