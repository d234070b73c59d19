import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { WasmForgeError } from '../shared/errors.ts';
import { pgliteExecutor, type SqlExecutor } from '../marketplace/db/executor.ts';
import { migrate } from '../marketplace/db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from '../marketplace/db/schema.ts';
import { acquireLock, type HeldLock } from './db-lock.ts';
import { dataPath } from './home.ts';
import { removeLeftovers } from './leftovers.ts';
import { LIBRARY_MIGRATIONS } from './migrations.ts';
import { makeDataFolderPrivate, makePrivate, makeTreePrivate } from './private-files.ts';

/**
 * The local database: PGlite in `<data>/db`, migrated on open (library schema, plus the
 * marketplace schema so PGlite can serve as the single-user marketplace). PGlite must not be
 * opened by two processes at once, so a lock file guards it (db-lock.ts). Within one process there
 * is one PGlite per folder: every open shares it, and a reopen waits until a close has finished.
 */
export interface LocalDatabase {
  db: SqlExecutor;
  dataDir: string;
  release(): Promise<void>;
}

interface Shared {
  users: number;
  opened: Promise<Opened>;
  /** Set once the last user has let go; the entry stays until then so that nobody starts a second one. */
  closed?: Promise<void>;
}

interface Opened {
  db: SqlExecutor;
  lock: HeldLock;
}

const openDatabases = new Map<string, Shared>();

export async function openLocalDatabase(home: string, options: { lockWaitMs?: number } = {}): Promise<LocalDatabase> {
  const dataDir = dataPath(home, 'db');
  const shared = await joinShared(home, dataDir, options.lockWaitMs);
  let opened: Opened;
  try {
    opened = await shared.opened;
  } catch (error) {
    await leave(dataDir, shared);
    throw error;
  }
  let released = false;
  return {
    db: opened.db,
    dataDir,
    release: async () => {
      if (released) return;
      released = true;
      await leave(dataDir, shared);
    },
  };
}

/**
 * Counts the caller in on the folder's one database, starting it if there is none. The entry is
 * registered in the same tick as it is looked up (no await in between), so two callers that come
 * at once share one start-up.
 */
async function joinShared(home: string, dataDir: string, lockWaitMs?: number): Promise<Shared> {
  for (let current = openDatabases.get(dataDir); current?.closed; current = openDatabases.get(dataDir)) {
    await current.closed.catch(() => undefined); // a close that failed still let go of the lock
  }
  let shared = openDatabases.get(dataDir);
  if (!shared) {
    shared = { users: 0, opened: startDatabase(home, dataDir, lockWaitMs) };
    openDatabases.set(dataDir, shared);
  }
  shared.users += 1;
  return shared;
}

async function leave(dataDir: string, shared: Shared): Promise<void> {
  shared.users -= 1;
  if (shared.users > 0) return;
  shared.closed = closeShared(shared, dataDir).finally(() => {
    if (openDatabases.get(dataDir) === shared) openDatabases.delete(dataDir);
  });
  await shared.closed;
}

async function closeShared(shared: Shared, dataDir: string): Promise<void> {
  const opened = await shared.opened.catch(() => null);
  if (!opened) return; // a failed start has already let go of its lock
  try {
    await opened.db.close();
    // PostgreSQL made files while open (with the umask's modes): private again before the next process.
    await makeTreePrivate(dataDir).catch(() => undefined);
  } finally {
    await opened.lock.release();
  }
}

async function startDatabase(home: string, dataDir: string, lockWaitMs?: number): Promise<Opened> {
  await makePrivate(home);
  const lock = await acquireLock(dataPath(home, 'db.lock'), lockWaitMs);
  try {
    // Holding the lock: what a killed process left behind can be told from what a live one uses.
    await removeLeftovers(home);
    const pglite = new PGlite(dataDir, { extensions: { pg_trgm } });
    const db = pgliteExecutor(pglite);
    await migrated(db, pglite, dataDir);
    // PGlite writes its files world-readable (0666): the data folder is this user's alone.
    await makeDataFolderPrivate(home);
    return { db, lock };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function migrated(db: SqlExecutor, pglite: PGlite, dataDir: string): Promise<void> {
  try {
    await pglite.waitReady;
    await migrate(db, MARKETPLACE_MIGRATIONS);
    await migrate(db, LIBRARY_MIGRATIONS);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error instanceof WasmForgeError ? error
      : new WasmForgeError('STORAGE_ERROR', `Could not open the local database in ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
}
