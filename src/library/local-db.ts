import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { WasmForgeError } from '../shared/errors.ts';
import { pgliteExecutor, type SqlExecutor } from '../marketplace/db/executor.ts';
import { migrate } from '../marketplace/db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from '../marketplace/db/schema.ts';
import { dataPath } from './home.ts';
import { LIBRARY_MIGRATIONS } from './migrations.ts';

/**
 * The local database: PGlite in `<data>/db`, migrated on open (library schema, plus the
 * marketplace schema so PGlite can serve as the single-user marketplace). PGlite must not be
 * opened by two processes at once, so a lock file guards it; within one process opens are shared.
 */
export interface LocalDatabase {
  db: SqlExecutor;
  dataDir: string;
  release(): Promise<void>;
}

interface Shared {
  db: SqlExecutor;
  users: number;
  ready: Promise<void>;
}

const openDatabases = new Map<string, Shared>();

export async function openLocalDatabase(home: string, options: { lockWaitMs?: number } = {}): Promise<LocalDatabase> {
  const dataDir = dataPath(home, 'db');
  let shared = openDatabases.get(dataDir);
  if (!shared) {
    shared = await startDatabase(home, dataDir, options.lockWaitMs);
    openDatabases.set(dataDir, shared);
  }
  shared.users += 1;
  const current = shared;
  try {
    await current.ready;
  } catch (error) {
    await releaseShared(dataDir, current, home);
    throw error;
  }
  let released = false;
  return {
    db: current.db,
    dataDir,
    release: async () => {
      if (released) return;
      released = true;
      await releaseShared(dataDir, current, home);
    },
  };
}

async function startDatabase(home: string, dataDir: string, lockWaitMs?: number): Promise<Shared> {
  await mkdir(home, { recursive: true });
  await acquireLock(lockFile(home), lockWaitMs);
  const pglite = new PGlite(dataDir, { extensions: { pg_trgm } });
  const db = pgliteExecutor(pglite);
  const ready = (async () => {
    await pglite.waitReady;
    await migrate(db, MARKETPLACE_MIGRATIONS);
    await migrate(db, LIBRARY_MIGRATIONS);
  })().catch((error: unknown) => {
    throw error instanceof WasmForgeError ? error
      : new WasmForgeError('STORAGE_ERROR', `Could not open the local database in ${dataDir}: ${(error as Error).message}`, { cause: error });
  });
  return { db, users: 0, ready };
}

async function releaseShared(dataDir: string, shared: Shared, home: string): Promise<void> {
  shared.users -= 1;
  if (shared.users > 0) return;
  openDatabases.delete(dataDir);
  try {
    await shared.db.close();
  } finally {
    await rm(lockFile(home), { force: true });
  }
}

function lockFile(home: string): string {
  return dataPath(home, 'db.lock');
}

/** One process at a time: a lock file holding the pid; a lock left by a dead process is taken over. */
async function acquireLock(path: string, waitMs = 10_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await tryLink(path)) return;
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (!Number.isInteger(holder) || !isAlive(holder) || holder === process.pid) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new WasmForgeError('STORAGE_ERROR', `The local database is in use by process ${holder}`, {
        hint: 'Close the other WasmForge window or command, then try again.',
      });
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Writes the pid beside the lock and links it into place, so nobody ever reads a half-written lock. */
async function tryLink(path: string): Promise<boolean> {
  const staging = `${path}.${process.pid}`;
  await writeFile(staging, String(process.pid), { mode: 0o600 });
  try {
    await link(staging, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await rm(staging, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
