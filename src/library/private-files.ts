import { chmodSync, lstatSync, mkdirSync, type Stats } from 'node:fs';
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, parse, resolve } from 'node:path';

/**
 * The data folder holds signing keys, settings with passwords, history and the local database:
 * it is its owner's alone (0700, files 0600), whatever the umask, and whoever made its files.
 * Windows has no such modes (ACLs decide there), so nothing is done on it.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const OTHERS = 0o077;
const POSIX = process.platform !== 'win32';

/** Creates the folder (and any missing parent) private, and tightens it if it already existed. */
export async function makePrivate(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (POSIX && mayTighten(dir, await lstat(dir))) await chmod(dir, PRIVATE_DIR_MODE).catch(ignoreNotOurs);
}

export function makePrivateSync(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!POSIX || !mayTighten(dir, lstatSync(dir))) return;
  try {
    chmodSync(dir, PRIVATE_DIR_MODE);
  } catch (error) {
    ignoreNotOurs(error);
  }
}

/**
 * A data folder pointed somewhere shared (WASMFORGE_HOME=/tmp, or the home folder itself) must not
 * lock everyone else out of it: a sticky folder, the home folder, the root, another user's folder
 * and a symbolic link keep their modes.
 */
function mayTighten(dir: string, info: Stats): boolean {
  const path = resolve(dir);
  if (info.isSymbolicLink() || (info.mode & 0o1000) !== 0 || path === resolve(homedir()) || path === parse(path).root) return false;
  return process.getuid === undefined || info.uid === process.getuid();
}

/**
 * What the app itself keeps in the data folder. Only these are walked, never the rest: a data
 * folder pointed at a directory that holds other things (WASMFORGE_HOME=$HOME, say) keeps those as they are.
 */
export const APP_ENTRIES = ['db', 'keys', 'staging', 'workspace', 'cache', 'settings.json'];

/** The folder private, and every entry the app keeps in it (see APP_ENTRIES). */
export async function makeDataFolderPrivate(home: string): Promise<void> {
  await makePrivate(home);
  for (const entry of APP_ENTRIES) await makeTreePrivate(join(home, entry));
}

/**
 * Takes group and other permissions away from everything under `root` (symbolic links are not
 * followed). PGlite creates its files 0666 and PostgreSQL follows the umask for some, so this runs
 * after the database opens and after it closes; unchanged entries cost one lstat each.
 */
export async function makeTreePrivate(root: string): Promise<void> {
  if (!POSIX) return;
  const info = await lstat(root).catch(() => null);
  if (!info || info.isSymbolicLink()) return;
  if (info.mode & OTHERS) await chmod(root, info.mode & ~OTHERS & 0o7777).catch(ignoreNotOurs);
  if (!info.isDirectory()) return;
  const entries = await readdir(root).catch(() => [] as string[]);
  // A few at a time: the database alone holds about a thousand files.
  for (let start = 0; start < entries.length; start += 64) {
    await Promise.all(entries.slice(start, start + 64).map((name) => makeTreePrivate(join(root, name))));
  }
}

/** A file that vanished meanwhile, or one another user owns, is left as it is. */
function ignoreNotOurs(error: unknown): void {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOENT' && code !== 'EPERM') throw error;
}
