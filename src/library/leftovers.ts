import { randomBytes } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './db-lock.ts';
import { dataPath } from './home.ts';
import { makePrivate } from './private-files.ts';

/**
 * What a killed process (kill -9, a crash, a power cut) leaves in the data folder: temporary lock
 * files (`db.lock.<pid>.<random>`) and private staging folders (`staging/<kind>-<pid>-<random>`).
 * Each name carries its maker's pid, so the next start removes exactly those of dead processes,
 * and anything older than a day (a reused pid can make a dead maker look alive; a live process
 * keeps these for seconds). Older names without a pid go by age alone.
 */
export const STALE_AFTER_MS = 24 * 60 * 60_000;

const LOCK_LEFTOVER = /^db\.lock\.(\d+)(\..+)?$/;
const STAGING_LEFTOVER = /^[a-z]+-(?:(\d+)-)?[0-9a-f]+$/;

/** A new private folder for one operation's files, named so that it can be cleaned up after a crash. */
export async function stagingFolder(home: string, kind: string): Promise<string> {
  const dir = dataPath(home, 'staging', `${kind}-${process.pid}-${randomBytes(6).toString('hex')}`);
  await makePrivate(dataPath(home, 'staging'));
  await makePrivate(dir);
  return dir;
}

/** Removes what dead processes left behind; returns the names removed (relative to the data folder). */
export async function removeLeftovers(home: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const [folder, pattern] of [['', LOCK_LEFTOVER], ['staging', STAGING_LEFTOVER]] as const) {
    const names = await readdir(dataPath(home, folder)).catch(() => [] as string[]);
    for (const name of names) {
      const match = pattern.exec(name);
      if (!match) continue;
      const path = join(dataPath(home, folder), name);
      if (await isLeftover(path, match[1] === undefined ? null : Number(match[1]), now)) {
        await rm(path, { recursive: true, force: true });
        removed.push(folder ? `${folder}/${name}` : name);
      }
    }
  }
  return removed;
}

async function isLeftover(path: string, pid: number | null, now: number): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (!info) return false;
  if (now - info.mtimeMs > STALE_AFTER_MS) return true;
  // Our own pid: a file of ours made right now (another data folder's open, say) is not a leftover.
  return pid !== null && pid !== process.pid && !isAlive(pid);
}
