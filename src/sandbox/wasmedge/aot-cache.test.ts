import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aotCachePaths, isAotCacheValid, sha256File, writeAotMeta } from './aot-cache.ts';
import { AotCompiler, type AotCompilerOptions, type AotState } from './aot-compiler.ts';
import { isProcessAlive } from '../../os/process.ts';
import { launchWasmEdgeCompile, lookAtJob, type LaunchCompile } from './aot-job.ts';

const root = mkdtempSync(join(tmpdir(), 'wasmforge-aot-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const source = join(root, 'python.wasm');
writeFileSync(source, 'pretend module bytes');
let homes = 0;
const freshHome = (): string => join(root, `home-${++homes}`);

/**
 * These tests cover the cache protocol (paths, records, the detached job, adoption by rename). The
 * compile is a real detached process, node standing in for `wasmedge compile`: it logs a phase,
 * waits, then writes its output (or fails as WasmEdge does); the trial run reads the bytes back.
 */
function fakeCompile(calls: string[], behaviour: { content?: string; delayMs?: number; error?: string } = {}): LaunchCompile {
  const script = (output: string): string => [
    'console.log("[info] compile start");',
    behaviour.error
      ? `console.log(${JSON.stringify(`[2026-12-03 10:00:00.000] [error] ${behaviour.error}`)}); process.exit(1);`
      : `setTimeout(() => require("fs").writeFileSync(${JSON.stringify(output)}, ${JSON.stringify(behaviour.content ?? 'native code')}), ${behaviour.delayMs ?? 200});`,
  ].join('\n');
  const launch = launchWasmEdgeCompile(process.execPath, (_input, output) => ['-e', script(output)]);
  return (input, output, log) => {
    calls.push(output);
    return launch(input, output, log);
  };
}

const verifyContent = async (path: string): Promise<void> => {
  if ((await readFile(path, 'utf8')) !== 'native code') throw new Error('unexpected module bytes');
};

function compilerFor(dataHome: string, launch: LaunchCompile, more: Partial<AotCompilerOptions> = {}): AotCompiler {
  return new AotCompiler({ version: '0.17.1', pythonWasm: source, dataHome, launch, verify: verifyContent, pollMs: 20, ...more });
}

async function until(compiler: AotCompiler, kinds: Array<AotState['kind']>): Promise<void> {
  for (let i = 0; i < 500 && !kinds.includes(compiler.state.kind); i++) await new Promise((r) => setTimeout(r, 20));
}

describe('aotCachePaths', () => {
  it('keeps one module per WasmEdge version in the data folder', () => {
    const paths = aotCachePaths('/data', '0.17.1');
    expect(paths.module).toBe(join('/data', 'cache', 'wasmedge', '0.17.1', 'python-aot.wasm'));
    expect(paths.meta).toBe(join('/data', 'cache', 'wasmedge', '0.17.1', 'python-aot.json'));
    expect(paths.job).toBe(join('/data', 'cache', 'wasmedge', '0.17.1', 'python-aot.job'));
    expect(paths.failure).toBe(join('/data', 'cache', 'wasmedge', '0.17.1', 'python-aot.failed.json'));
  });

  it('never lets a version string climb out of the cache folder', () => {
    for (const version of ['../../etc', '..', '/abs', 'a\\b']) {
      const { dir } = aotCachePaths('/data', version);
      expect(dirname(dir)).toBe(join('/data', 'cache', 'wasmedge'));
      expect(basename(dir)).not.toMatch(/^\.|[/\\]/);
    }
  });
});

describe('AOT cache record', () => {
  it('is valid only for the same version, source and size', async () => {
    const paths = aotCachePaths(freshHome(), '0.17.1');
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(paths.module, 'abcd');
    const sha = await sha256File(source);
    const matching = { wasmedgeVersion: '0.17.1', sourceSha256: sha };
    expect(await isAotCacheValid(paths, matching)).toBe(false); // no record yet
    await writeAotMeta(paths, matching, 4);
    expect(await isAotCacheValid(paths, matching)).toBe(true);
    expect(await isAotCacheValid(paths, { ...matching, sourceSha256: '0'.repeat(64) })).toBe(false);
    expect(await isAotCacheValid(paths, { ...matching, wasmedgeVersion: '0.17.2' })).toBe(false);
    writeFileSync(paths.module, 'abc'); // truncated
    expect(await isAotCacheValid(paths, matching)).toBe(false);
    writeFileSync(paths.meta, '{not json');
    expect(await isAotCacheValid(paths, matching)).toBe(false);
  });
});

describe('AotCompiler', () => {
  it('compiles once in a detached job, adopts its output by rename after a trial run, and records it', async () => {
    const calls: string[] = [];
    const readyPaths: string[] = [];
    const compiler = compilerFor(freshHome(), fakeCompile(calls), { onReady: (p) => readyPaths.push(p) });
    compiler.start();
    await until(compiler, ['compiling']);
    expect(compiler.state).toMatchObject({ kind: 'compiling', phase: expect.any(String) });
    await until(compiler, ['ready', 'failed']);
    expect(compiler.state).toEqual({ kind: 'ready', modulePath: compiler.paths.module });
    expect(readyPaths).toEqual([compiler.paths.module]);
    expect(calls).toHaveLength(1);
    expect(readFileSync(compiler.paths.module, 'utf8')).toBe('native code');
    await compiler.close();
    expect(readdirSync(compiler.paths.dir).sort()).toEqual(['python-aot.json', 'python-aot.log', 'python-aot.wasm']);
    expect(JSON.parse(readFileSync(compiler.paths.meta, 'utf8'))).toMatchObject({ flags: [], moduleBytes: 11, compileMs: expect.any(Number) });

    // A second app start finds the cache and does not compile again.
    const second = compilerFor(join(compiler.paths.dir, '..', '..', '..'), fakeCompile(calls));
    second.start();
    await until(second, ['ready', 'failed']);
    expect(second.state.kind).toBe('ready');
    expect(calls).toHaveLength(1);
  });

  it('leaves the compile running when the process that started it closes; the next one adopts it', async () => {
    const home = freshHome();
    const calls: string[] = [];
    const starter = compilerFor(home, fakeCompile(calls, { delayMs: 1500 }));
    starter.start();
    await until(starter, ['compiling']);
    await starter.close(); // the CLI run ends, or the app quits
    const job = await lookAtJob(starter.paths);
    expect(job.kind).toBe('running');
    expect(job.kind === 'running' && isProcessAlive(job.job.pid)).toBe(true);

    // A later process only follows (a status check): it never starts a compile, but adopts this one.
    const follower = compilerFor(home, fakeCompile(calls));
    follower.follow();
    await until(follower, ['ready', 'failed']);
    expect(follower.state.kind).toBe('ready');
    expect(calls).toHaveLength(1);
    await follower.close();
  });

  it('starts nothing when it only follows and there is no compile', async () => {
    const calls: string[] = [];
    const compiler = compilerFor(freshHome(), fakeCompile(calls));
    compiler.follow();
    await compiler.checked;
    await until(compiler, ['absent']);
    expect(compiler.state.kind).toBe('absent');
    expect(calls).toEqual([]);
    compiler.start();
    await until(compiler, ['ready', 'failed']);
    expect(compiler.state.kind).toBe('ready');
    await compiler.close();
  });

  it('starts one compile when two processes ask at once', async () => {
    const home = freshHome();
    const calls: string[] = [];
    const [a, b] = [compilerFor(home, fakeCompile(calls, { delayMs: 500 })), compilerFor(home, fakeCompile(calls, { delayMs: 500 }))];
    a.start();
    b.start();
    await Promise.all([until(a, ['ready', 'failed']), until(b, ['ready', 'failed'])]);
    expect([a.state.kind, b.state.kind]).toEqual(['ready', 'ready']);
    expect(calls).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it("records WasmEdge's error, does not compile again on its own, and retries when asked", async () => {
    const home = freshHome();
    const calls: string[] = [];
    const failing = compilerFor(home, fakeCompile(calls, { error: 'out of memory' }));
    failing.start();
    await until(failing, ['ready', 'failed']);
    expect(failing.state).toEqual({ kind: 'failed', reason: 'wasmedge compile failed: out of memory' });
    expect(existsSync(failing.paths.module)).toBe(false);
    await failing.close();

    const next = compilerFor(home, fakeCompile(calls));
    next.start();
    await until(next, ['ready', 'failed']);
    expect(next.state.kind).toBe('failed');
    expect(calls).toHaveLength(1);
    next.start({ retryFailure: true }); // wasmforge engines prepare
    await until(next, ['ready']);
    expect(next.state.kind).toBe('ready');
    expect(calls).toHaveLength(2);
    await next.close();
  });

  it('never adopts an output that fails its trial run', async () => {
    const compiler = compilerFor(freshHome(), fakeCompile([], { content: 'damaged' }));
    compiler.start();
    await until(compiler, ['ready', 'failed']);
    expect(compiler.state).toEqual({ kind: 'failed', reason: 'the compiled module did not run: unexpected module bytes' });
    expect(readdirSync(compiler.paths.dir).filter((name) => name.endsWith('.wasm'))).toEqual([]);
    await compiler.close();
  });
});
