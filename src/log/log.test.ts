import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logFiles, openLog } from './log.ts';

const scratch = mkdtempSync(join(tmpdir(), 'wasmforge-log-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('the app log', () => {
  it('writes leveled JSON lines to logs/<process>.N.log, 0600 in a 0700 folder, below the level nothing', async () => {
    const home = join(scratch, 'levels');
    const log = await openLog({ home, process: 'main', level: 'info' });
    log.debug('not written');
    log.info('started', { version: '0.1.0' });
    log.error('backend exited', { code: 3 });
    expect(basename(log.file)).toBe('main.1.log');
    const written = lines(log.file);
    expect(written.map((line) => [line.level, line.msg])).toEqual([[30, 'started'], [50, 'backend exited']]);
    expect(written[1]).toMatchObject({ process: 'main', pid: process.pid, code: 3 });
    if (process.platform !== 'win32') {
      expect(statSync(log.file).mode & 0o777).toBe(0o600);
      expect(statSync(log.folder).mode & 0o777).toBe(0o700);
    }
    await log.close();
  });

  it('rotates past the size and keeps a bounded number of files; each process has its own series', async () => {
    const home = join(scratch, 'rotate');
    const backend = await openLog({ home, process: 'backend', maxFileSize: '1k' });
    const main = await openLog({ home, process: 'main', maxFileSize: '1k' });
    main.warn('one line from main');
    for (let index = 0; index < 200; index++) {
      backend.warn(`line ${index} ${'x'.repeat(200)}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const names = readdirSync(join(home, 'logs'));
    const series = names.filter((name) => name.startsWith('backend.'));
    expect(series.length).toBeGreaterThan(1);
    expect(series.length).toBeLessThanOrEqual(5); // the current one and 4 before it
    expect(names).toContain('main.1.log');
    // Nothing lost at a rotation: the newest lines are all there, in order, across the files kept.
    const kept = (await logFiles(home)).filter(({ file }) => basename(file).startsWith('backend.')).reverse();
    const messages = kept.flatMap(({ file }) => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { msg: string }).msg));
    expect(messages.at(-1)).toMatch(/^line 199 /);
    expect(messages.slice(-5).map((message) => message.split(' ')[1])).toEqual(['195', '196', '197', '198', '199']);
    await Promise.all([backend.close(), main.close()]);
  });

  it('lists nothing for a data folder without logs', async () => {
    expect(await logFiles(join(scratch, 'none'))).toEqual([]);
  });
});
