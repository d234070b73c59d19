import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary, type Library } from '../../src/library/library.ts';
import { openLocalDatabase } from '../../src/library/local-db.ts';
import { LIBRARY_MIGRATIONS } from '../../src/library/migrations.ts';
import { MARKETPLACE_MIGRATIONS } from '../../src/marketplace/db/schema.ts';
import type { RunResult } from '../../src/shared/run.ts';
import { tempHome } from '../marketplace/helpers.ts';

let home: { path: string; remove: () => Promise<void> };
let library: Library;
beforeAll(async () => {
  home = await tempHome('history');
  library = await createLibrary(home.path);
});
afterAll(async () => {
  await library?.close();
  await home?.remove();
});

const result = (overrides: Partial<RunResult> = {}): RunResult => ({
  ok: true, output: 'out', logs: '', error: null, durationMs: 12.5, engine: 'embedded',
  aiCalls: [{ model: 'qwen2.5:1.5b', promptChars: 10, responseChars: 20, durationMs: 3, ok: true }], ...overrides,
});

describe('run history', () => {
  it('keeps each run\'s input, output, error, AI calls and duration, newest first', async () => {
    await library.recordRun({ plugin: 'a', version: '1.0.0', input: 'first', result: result() });
    await library.recordRun({ plugin: 'a', input: 'second', result: result({ ok: false, output: '', error: { code: 'TIMEOUT', message: 'too slow' } }) });
    await library.recordRun({ plugin: 'b', input: 'other', result: result() });
    const runs = await library.listRuns({ plugin: 'a' });
    expect(runs.map((run) => run.input)).toEqual(['second', 'first']);
    // The contract's shape: the result whole, as the run returned it.
    expect(runs[0]).toMatchObject({ pluginName: 'a', result: { ok: false, error: { code: 'TIMEOUT' }, durationMs: 12.5, aiCalls: [{ model: 'qwen2.5:1.5b' }] } });
    expect(runs[1]).toMatchObject({ version: '1.0.0', result: { output: 'out', engine: 'embedded' } });
  });

  it('stores hostile output safely: NUL bytes and huge text', async () => {
    await library.recordRun({ plugin: 'hostile', input: 'x\u0000y', result: result({ output: 'a\u0000b' + 'z'.repeat(400_000) }) });
    const [run] = await library.listRuns({ plugin: 'hostile' });
    expect(run?.input).toBe('x\uFFFDy');
    expect(run?.result.output.startsWith('a\uFFFDb')).toBe(true);
    expect(run?.result.output).toMatch(/truncated \d+ characters\]$/);
  });

  it('clears history per plugin', async () => {
    expect(await library.clearRuns('b')).toBe(1);
    expect((await library.listRuns()).map((run) => run.pluginName)).not.toContain('b');
  });
});

describe('the local database', () => {
  it('is shared within a process and applies its migrations once', async () => {
    const second = await openLocalDatabase(home.path);
    try {
      const rows = await second.db.query<{ set_name: string; n: number }>(
        'SELECT set_name, count(*)::int AS n FROM public.wasmforge_migrations GROUP BY set_name ORDER BY set_name');
      expect(rows).toEqual([{ set_name: 'library', n: LIBRARY_MIGRATIONS.migrations.length }, { set_name: 'marketplace', n: MARKETPLACE_MIGRATIONS.migrations.length }]);
    } finally {
      await second.release();
    }
    expect((await library.listRuns()).length).toBeGreaterThan(0);
  });
});
