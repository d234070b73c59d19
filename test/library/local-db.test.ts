import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLibrary } from '../../src/library/library.ts';
import { openLocalDatabase } from '../../src/library/local-db.ts';
import { tempHome } from '../marketplace/helpers.ts';

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'hold-db.ts');
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function holdDatabase(home: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, home], { stdio: ['ignore', 'pipe', 'inherit'] });
  cleanup.push(async () => { if (child.exitCode === null) child.kill('SIGKILL'); });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  while (!output.includes('ready')) {
    if (child.exitCode !== null) throw new Error(`child exited with ${child.exitCode}`);
    await new Promise((done) => setTimeout(done, 50));
  }
  return child;
}

describe('the local database across processes', () => {
  it('is refused to a second process while another holds it, then survives that process being killed', async () => {
    const home = await tempHome('lock');
    cleanup.push(home.remove);
    const child = await holdDatabase(home.path);
    await expect(openLocalDatabase(home.path, { lockWaitMs: 300 })).rejects.toMatchObject({
      code: 'STORAGE_ERROR', message: expect.stringContaining(String(child.pid)),
    });
    child.kill('SIGKILL');
    await once(child, 'exit');
    // The dead process's lock is taken over and its committed run is still there.
    const library = await createLibrary(home.path);
    try {
      expect((await library.listRuns()).map((run) => run.pluginName)).toEqual(['from-child']);
    } finally {
      await library.close();
    }
  });
});

describe('the local database in a new data folder', () => {
  it('makes the folder it lives in when there is none yet', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'wasmforge-fresh-'));
    cleanup.push(() => rm(parent, { recursive: true, force: true }));
    const local = await openLocalDatabase(join(parent, 'not', 'there', 'yet'));
    cleanup.push(() => local.release());
    const [row] = await local.db.query<{ one: number }>('SELECT 1 AS one');
    expect(row?.one).toBe(1);
  });
});
