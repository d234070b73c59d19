import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isProcessAlive } from '../os/process.ts';
import { dataPath } from './home.ts';
import { parseManifestText } from './manifest.ts';
import { makePrivate } from './private-files.ts';
import { MANIFEST_FILE, PENDING_MANIFEST } from './workspace.ts';

/**
 * What a killed process (kill -9, a crash, a power cut) leaves in the data folder: temporary lock
 * files (`db.lock.<pid>.<random>`), private staging folders (`staging/<kind>-<pid>-<random>`) and
 * the temporary files of atomic saves (`<file>.<pid>-<random>.tmp`, in the folders the app saves to),
 * and the manifest a workspace rename writes ahead (`plugin.json.<pid>-<random>.next`), which finishes that rename.
 * Each name carries its maker's pid, so the next start removes exactly those of dead processes,
 * and anything older than a day (a reused pid can make a dead maker look alive; a live process
 * keeps these for seconds). Older names without a pid go by age alone.
 */
export const STALE_AFTER_MS = 24 * 60 * 60_000;

const LOCK_LEFTOVER = /^db\.lock\.(\d+)(\..+)?$/;
const STAGING_LEFTOVER = /^[a-z]+-(?:(\d+)-)?[0-9a-f]+$/;
const SAVE_LEFTOVER = /^.+\.(?:(\d+)-)?[0-9a-f]{12}\.tmp$/;

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
  for (const [folder, pattern, settle = removeEntry] of await placesToSweep(home)) {
    const names = await readdir(dataPath(home, folder)).catch(() => [] as string[]);
    for (const name of names) {
      const match = pattern.exec(name);
      if (!match) continue;
      const path = join(dataPath(home, folder), name);
      if (await isLeftover(path, match[1] === undefined ? null : Number(match[1]), now)) {
        await settle(path);
        removed.push(folder ? join(folder, name) : name);
      }
    }
  }
  return removed;
}

type Settle = (path: string) => Promise<void>;

/** Each folder of the data folder where leftovers can be, with the names they have there (and what to do with them: remove them). */
async function placesToSweep(home: string): Promise<Array<[string, RegExp, Settle?]>> {
  const plugins = (await readdir(dataPath(home, 'workspace'), { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isDirectory()).map((entry) => join('workspace', entry.name));
  return [
    ['', LOCK_LEFTOVER], ['staging', STAGING_LEFTOVER], ['', SAVE_LEFTOVER], ['keys', SAVE_LEFTOVER],
    ...plugins.flatMap((folder): Array<[string, RegExp, Settle?]> => [[folder, SAVE_LEFTOVER], [folder, PENDING_MANIFEST, finishRename]]),
  ];
}

async function removeEntry(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/**
 * A manifest written ahead of a rename (workspace.ts renamePlugin). If its folder has already moved
 * to the new name, the rename was under way when the process died: the manifest goes in place.
 * Otherwise the folder never moved and the old plugin stands: the manifest goes.
 */
async function finishRename(path: string): Promise<void> {
  const folder = dirname(path);
  const manifest = await readFile(path, 'utf8').then((text) => parseManifestText(text, path)).catch(() => null);
  if (manifest?.name === basename(folder)) await rename(path, join(folder, MANIFEST_FILE));
  else await removeEntry(path);
}

async function isLeftover(path: string, pid: number | null, now: number): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (!info) return false;
  if (now - info.mtimeMs > STALE_AFTER_MS) return true;
  // Our own pid: a file of ours made right now (another data folder's open, say) is not a leftover.
  return pid !== null && pid !== process.pid && !isProcessAlive(pid);
}
