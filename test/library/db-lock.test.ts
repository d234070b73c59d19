import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, PROCESS_TOKEN } from '../../src/library/db-lock.ts';

let dir: string;
let lock: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wasmforge-lock-'));
  lock = join(dir, 'db.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (and, this soon, not been reused). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const files = async (): Promise<string[]> => (await readdir(dir)).sort();

describe('the local database lock', () => {
  it('holds our pid and this process\'s token, and is gone after release', async () => {
    const held = await acquireLock(lock);
    expect(await readFile(lock, 'utf8')).toBe(`${process.pid} ${PROCESS_TOKEN}\n`);
    await held.release();
    expect(await files()).toEqual([]);
  });

  it('is never taken over from this very process: our pid and our token mean it is held here', async () => {
    const held = await acquireLock(lock);
    await expect(acquireLock(lock, 200)).rejects.toMatchObject({ code: 'STORAGE_ERROR', message: expect.stringContaining('in use by this process') });
    await held.release();
  });

  it('is taken over from an earlier process that had our pid (another token, or the old pid-only format)', async () => {
    for (const stale of [`${process.pid} 0123456789abcdef\n`, String(process.pid)]) {
      await writeFile(lock, stale);
      const held = await acquireLock(lock, 200);
      expect(await readFile(lock, 'utf8')).toBe(`${process.pid} ${PROCESS_TOKEN}\n`);
      await held.release();
    }
  });

  it('is taken over from a dead process, and refused while a live one holds it', async () => {
    await writeFile(lock, `${deadPid()} feedfacefeedface\n`);
    const held = await acquireLock(lock, 200);
    await held.release();
    await writeFile(lock, `${process.ppid} feedfacefeedface\n`);
    await expect(acquireLock(lock, 200)).rejects.toMatchObject({ message: expect.stringContaining(`process ${process.ppid}`) });
  });

  it('lets many acquirers in one at a time, with no temporary file left', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      const held = await acquireLock(lock, 20_000);
      inside += 1;
      most = Math.max(most, inside);
      await new Promise((done) => setTimeout(done, 5));
      inside -= 1;
      await held.release();
    }));
    expect(most).toBe(1);
    expect(await files()).toEqual([]);
  });

  it('does not remove a lock that another holder has taken since', async () => {
    const held = await acquireLock(lock);
    await writeFile(lock, `${process.ppid} feedfacefeedface\n`);
    await held.release();
    expect(await readFile(lock, 'utf8')).toBe(`${process.ppid} feedfacefeedface\n`);
  });
});
