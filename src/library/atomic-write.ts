import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WasmForgeError } from '../shared/errors.ts';

/**
 * Writes through a temporary file, fsync and rename, so a crash or a full disk mid-save leaves
 * the previous file intact, never a broken or empty one. The folder is synced after the rename so
 * that the new name itself survives a power loss (else the rename may be lost with the cache).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  // Our pid in the name: a temporary file left by a killed save is removed on the next start (leftovers.ts).
  const temporary = `${path}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    const reason = (error as NodeJS.ErrnoException).code === 'ENOSPC' ? 'the disk is full' : String((error as Error).message ?? error);
    throw new WasmForgeError('STORAGE_ERROR', `Could not save ${path}: ${reason}`, { cause: error });
  }
  await syncDirectory(dirname(path));
}

/**
 * Flushes a folder's entries to disk. Node cannot open a folder for this on Windows, and some file
 * systems refuse it; the file is saved either way, only its durability across a power cut is the OS's.
 */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // EINVAL/ENOTSUP on file systems without directory fsync: nothing more can be done.
  } finally {
    await handle.close();
  }
}
