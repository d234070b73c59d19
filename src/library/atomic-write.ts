import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WasmForgeError } from '../shared/errors.ts';

/**
 * Writes through a temporary file, fsync and rename, so a crash or a full disk mid-save leaves
 * the previous file intact, never a broken or empty one.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
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
}
