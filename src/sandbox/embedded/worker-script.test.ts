import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { WORKER_SOURCES } from './worker-script.ts';

describe('the sandbox worker bundle', () => {
  it('is cached by the content of every file it holds', () => {
    // A file missing from WORKER_SOURCES would let a stale bundle run after that file changed.
    const sandboxDir = fileURLToPath(new URL('..', import.meta.url));
    const { metafile } = buildSync({
      entryPoints: [fileURLToPath(new URL('worker.ts', import.meta.url))],
      bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, absWorkingDir: sandboxDir,
    });
    const bundled = Object.keys(metafile.inputs).map((input) => relative(sandboxDir, `${sandboxDir}/${input}`));
    expect(bundled.length).toBeGreaterThan(3);
    expect(WORKER_SOURCES).toEqual(expect.arrayContaining(bundled));
  });
});
