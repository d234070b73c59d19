import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { WasmForgeError } from '../shared/errors.ts';
import { isProcessAlive } from '../os/process.ts';

/**
 * The local database's lock across processes: a file `db.lock` holding `<pid> <process token>`.
 * The token is random per process, so a lock that carries our pid but not our token is known to
 * be an earlier process's (pid reuse, as in containers after a crash) and is taken over, while
 * one carrying both is this process's own and is never taken over.
 * (proper-lockfile was considered: its locks go stale when the holder stops refreshing their
 * mtime, and PGlite runs PostgreSQL synchronously on the main thread, so a long query would let a
 * second process in; a dead holder is also known only after the stale delay, not at once.)
 */
export const PROCESS_TOKEN = randomBytes(8).toString('hex');

export interface LockHolder {
  pid: number;
  token: string | null;
}

export interface HeldLock {
  /** Removes the lock, but only while it is still this holder's. */
  release(): Promise<void>;
}

export async function acquireLock(path: string, waitMs = 10_000): Promise<HeldLock> {
  const content = `${process.pid} ${PROCESS_TOKEN}\n`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (await tryLink(path, content)) return { release: () => releaseIfOurs(path, content) };
    const seen = await readFile(path, 'utf8').catch(() => null);
    if (seen === null) continue; // released between our link and our read: try again at once
    const holder = parseHolder(seen);
    if (!holder || !isHolderAlive(holder)) {
      await removeStale(path, seen);
      continue;
    }
    if (Date.now() > deadline) {
      const who = holder.pid === process.pid ? 'this process' : `process ${holder.pid}`;
      throw new WasmForgeError('STORAGE_ERROR', `The local database is in use by ${who}`, {
        hint: 'Close the other WasmForge window or command, then try again.',
      });
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}

export function parseHolder(text: string): LockHolder | null {
  const [pidText, token] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, token: token ?? null } : null;
}

export function isHolderAlive(holder: LockHolder): boolean {
  if (holder.pid === process.pid) return holder.token === PROCESS_TOKEN;
  return isProcessAlive(holder.pid);
}

/** The name of a temporary file beside the lock: unique per attempt, with our pid so leftovers can be told apart. */
export function temporaryLockName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
}

/** Writes the holder beside the lock and links it into place, so nobody ever reads a half-written lock. */
async function tryLink(path: string, content: string): Promise<boolean> {
  const staging = temporaryLockName(path);
  try {
    await writeFile(staging, content, { mode: 0o600 });
    await link(staging, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await rm(staging, { force: true });
  }
}

/**
 * Takes a dead holder's lock away by renaming it first, so two processes taking over at once
 * cannot both delete: whoever renamed a lock that is no longer the stale one puts it back.
 */
async function removeStale(path: string, stale: string): Promise<void> {
  const aside = temporaryLockName(path);
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await readFile(aside, 'utf8').catch(() => stale)) !== stale) {
    await link(aside, path).catch(() => undefined);
  }
  await rm(aside, { force: true });
}

async function releaseIfOurs(path: string, content: string): Promise<void> {
  if ((await readFile(path, 'utf8').catch(() => null)) === content) await rm(path, { force: true });
}
