import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeFileAtomic } from '../../src/library/atomic-write.ts';

// A save that fails or is killed half-way must leave the previous file whole.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, rename: vi.fn(actual.rename), open: vi.fn(actual.open) };
});

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'save-stuck-before-rename.ts');
let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join((await import('node:os')).tmpdir(), 'wasmforge-atomic-'));
});
afterEach(async () => {
  vi.mocked(fs.rename).mockClear();
  vi.mocked(fs.open).mockClear();
  await fs.rm(dir, { recursive: true, force: true });
});

const leftovers = async (): Promise<string[]> => (await fs.readdir(dir)).filter((name) => name.endsWith('.tmp'));

describe('saving a file atomically', () => {
  it('keeps the old file when the rename fails, and says why', async () => {
    const path = join(dir, 'plugin.json');
    await writeFileAtomic(path, 'old');
    vi.mocked(fs.rename).mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' }));
    await expect(writeFileAtomic(path, 'new')).rejects.toMatchObject({ code: 'STORAGE_ERROR', message: expect.stringContaining('i/o error') });
    expect(await fs.readFile(path, 'utf8')).toBe('old');
    expect(await leftovers()).toEqual([]);
  });

  it('keeps the old file when the disk fills up half-way through the write', async () => {
    const path = join(dir, 'plugin.py');
    await writeFileAtomic(path, 'print("old")\n');
    vi.mocked(fs.open).mockImplementationOnce(async (file, flags, mode) => {
      const handle = await vi.mocked(fs.open).getMockImplementation()!(file, flags, mode);
      return Object.assign(Object.create(handle), {
        async writeFile(data: string) {
          await handle.write(data.slice(0, data.length / 2));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
        close: () => handle.close(),
      });
    });
    await expect(writeFileAtomic(path, 'print("new, and much longer")\n')).rejects.toMatchObject({
      code: 'STORAGE_ERROR', message: expect.stringContaining('the disk is full'),
    });
    expect(await fs.readFile(path, 'utf8')).toBe('print("old")\n');
    expect(await leftovers()).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('syncs the folder after the rename, so the new name itself survives a power cut', async () => {
    const path = join(dir, 'plugin.json');
    const syncedFolders: string[] = [];
    const realOpen = vi.mocked(fs.open).getMockImplementation()!;
    vi.mocked(fs.open).mockImplementation(async (file, flags, mode) => {
      const handle = await realOpen(file, flags, mode);
      if (file !== dir) return handle;
      return Object.assign(Object.create(handle), {
        sync: async () => {
          syncedFolders.push(String(file));
          await handle.sync();
        },
        close: () => handle.close(),
      });
    });
    try {
      await writeFileAtomic(path, '{"version": "2.0.0"}');
    } finally {
      vi.mocked(fs.open).mockImplementation(realOpen);
    }
    expect(syncedFolders).toEqual([dir]);
    const folderOpened = vi.mocked(fs.open).mock.calls.findIndex(([file]) => file === dir);
    expect(vi.mocked(fs.open).mock.calls[folderOpened]?.[1]).toBe('r');
    expect(vi.mocked(fs.open).mock.invocationCallOrder[folderOpened]).toBeGreaterThan(vi.mocked(fs.rename).mock.invocationCallOrder[0]!);
    expect(await fs.readFile(path, 'utf8')).toBe('{"version": "2.0.0"}');
  });

  it('keeps the old file when the saving process is killed between writing and renaming', async () => {
    const path = join(dir, 'plugin.json');
    await writeFileAtomic(path, '{"version": "1.0.0"}');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, path, '{"version": "2.0.0"}'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    while (!output.includes('renaming')) {
      if (child.exitCode !== null) throw new Error(`the saving process exited with ${child.exitCode}`);
      await new Promise((done) => setTimeout(done, 20));
    }
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await fs.readFile(path, 'utf8')).toBe('{"version": "1.0.0"}');
    // The new content was all written, beside the file: the kill really came between the two steps.
    const [temporary, ...others] = await leftovers();
    expect(others).toEqual([]);
    expect(await fs.readFile(join(dir, temporary!), 'utf8')).toBe('{"version": "2.0.0"}');
  });
});
