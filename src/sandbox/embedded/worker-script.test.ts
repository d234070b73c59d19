import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WasmForgeError } from '../../shared/errors.ts';
import { BUILT_WORKER, unpackedTwin, workerScript } from './worker-script.ts';

describe('the sandbox worker file', () => {
  let root: string;
  const file = (path: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), '');
    return join(root, path);
  };
  const dir = (path: string) => {
    mkdirSync(join(root, path), { recursive: true });
    return join(root, path);
  };
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const project = () => (root = mkdtempSync(join(tmpdir(), 'wf-worker-script-')));

  it('is the one the build put in out/main, for the sources (tests) and the CLI bundle and its chunks alike', () => {
    project();
    const built = file(BUILT_WORKER);
    expect(workerScript(dir('src/sandbox/embedded'))).toBe(built);
    expect(workerScript(dir('out/cli'))).toBe(built);
    expect(workerScript(dir('out/cli/chunks'))).toBe(built);
  });

  it('is found beside the main bundle, or one folder up from its chunks, as the desktop app has it', () => {
    project();
    const beside = file('app/out/main/sandbox-worker.js');
    expect(workerScript(join(root, 'app/out/main'))).toBe(beside);
    expect(workerScript(dir('app/out/main/chunks'))).toBe(beside);
  });

  it('is the unpacked twin when the app is packaged in app.asar', () => {
    project();
    file('resources/app.asar/out/main/sandbox-worker.js');
    const twin = file('resources/app.asar.unpacked/out/main/sandbox-worker.js');
    expect(workerScript(join(root, 'resources/app.asar/out/main'))).toBe(twin);
    expect(unpackedTwin(twin)).toBeUndefined();
  });

  it('missing, says so with the fix instead of building one at run time', () => {
    project();
    let error: unknown;
    try {
      workerScript(dir('src/sandbox/embedded'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WasmForgeError);
    expect(error).toMatchObject({ code: 'ENGINE_UNAVAILABLE', hint: expect.stringContaining('npm ci') });
  });
});
