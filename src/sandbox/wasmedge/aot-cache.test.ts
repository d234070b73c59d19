import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aotCachePaths, isAotCacheValid, sha256File, tryAotLock, writeAotMeta } from './aot-cache.ts';
import { AotCompiler, type CompileFn } from './aot-compiler.ts';

const root = mkdtempSync(join(tmpdir(), 'wasmforge-aot-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const source = join(root, 'python.wasm');
writeFileSync(source, 'pretend module bytes');
let homes = 0;
const freshHome = (): string => join(root, `home-${++homes}`);

/**
 * These tests cover the cache protocol (paths, records, lock, temp + rename). The compile step
 * is injected as a function writing bytes: it stands in for `wasmedge compile` only here, and no
 * test runs the resulting file.
 */
function writingCompile(calls: string[], content = 'native code'): CompileFn {
  return async (_input, output) => {
    calls.push(output);
    await writeFile(output, content);
  };
}

async function waitFor(compiler: AotCompiler): Promise<void> {
  for (let i = 0; i < 200 && !['ready', 'failed'].includes(compiler.state.kind); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('aotCachePaths', () => {
  it('keeps one module per WasmEdge version in the data folder', () => {
    const paths = aotCachePaths('/data', '0.17.1');
    expect(paths.module).toBe(join('/data', 'cache', 'wasmedge', '0.17.1', 'python-aot.wasm'));
    expect(paths.meta).toBe(join('/data', 'cache', 'wasmedge', '0.17.1', 'python-aot.json'));
    expect(paths.lock).toBe(join('/data', 'cache', 'wasmedge', '0.17.1', 'python-aot.lock'));
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

describe('tryAotLock', () => {
  it('is exclusive while held and free again after release', async () => {
    const lockPath = join(root, 'exclusive.lock');
    const first = await tryAotLock(lockPath);
    expect(first).toBeDefined();
    expect(await tryAotLock(lockPath)).toBeUndefined();
    await first!.release();
    const again = await tryAotLock(lockPath);
    expect(again).toBeDefined();
    await again!.release();
  });

  it('takes over a lock left by a dead process, or a very old one', async () => {
    const lockPath = join(root, 'stale.lock');
    writeFileSync(lockPath, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: Date.now() }));
    const fromDead = await tryAotLock(lockPath);
    expect(fromDead).toBeDefined();
    await fromDead!.release();
    writeFileSync(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: Date.now() - 3 * 60 * 60 * 1000 }));
    const old = await tryAotLock(lockPath);
    expect(old).toBeDefined();
    await old!.release();
  });

  it('respects a fresh lock held by a live process on another machine', async () => {
    const lockPath = join(root, 'other-host.lock');
    writeFileSync(lockPath, JSON.stringify({ pid: 1, host: `not-${hostname()}`, startedAt: Date.now() }));
    expect(await tryAotLock(lockPath)).toBeUndefined();
  });
});

describe('AotCompiler', () => {
  it('compiles once through a temporary file, renames it into place and records it', async () => {
    const calls: string[] = [];
    const readyPaths: string[] = [];
    const options = { binary: 'unused', version: '0.17.1', pythonWasm: source, compile: writingCompile(calls) };
    const compiler = new AotCompiler({ ...options, dataHome: freshHome(), onReady: (p) => readyPaths.push(p) });
    compiler.start();
    await waitFor(compiler);
    expect(compiler.state).toEqual({ kind: 'ready', modulePath: compiler.paths.module });
    expect(readyPaths).toEqual([compiler.paths.module]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatch(/python-aot\.wasm\.\d+\.[0-9a-f]+\.tmp\.wasm$/);
    expect(readFileSync(compiler.paths.module, 'utf8')).toBe('native code');
    await compiler.close(); // the module is announced ready just before the lock is released
    expect(readdirSync(compiler.paths.dir).sort()).toEqual(['python-aot.json', 'python-aot.wasm']);

    // A second app start finds the cache and does not compile again.
    const second = new AotCompiler({ ...options, dataHome: join(compiler.paths.dir, '..', '..', '..') });
    second.start();
    await waitFor(second);
    expect(second.state.kind).toBe('ready');
    expect(calls).toHaveLength(1);
  });

  it('fails cleanly, leaving no temporary file and no module', async () => {
    const compile: CompileFn = async (_input, output) => {
      await writeFile(output, 'half');
      throw new Error('wasmedge compile failed (exit 1): out of memory');
    };
    const compiler = new AotCompiler({ binary: 'unused', version: '0.17.1', pythonWasm: source, dataHome: freshHome(), compile });
    compiler.start();
    await waitFor(compiler);
    expect(compiler.state).toEqual({ kind: 'failed', reason: 'wasmedge compile failed (exit 1): out of memory' });
    expect(readdirSync(compiler.paths.dir)).toEqual([]);
  });

  it('waits while another process holds the lock, then uses its result', async () => {
    const home = freshHome();
    const paths = aotCachePaths(home, '0.17.1');
    mkdirSync(paths.dir, { recursive: true });
    const held = await tryAotLock(paths.lock);
    const calls: string[] = [];
    const compiler = new AotCompiler({ binary: 'unused', version: '0.17.1', pythonWasm: source, dataHome: home, compile: writingCompile(calls), pollMs: 10 });
    compiler.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(compiler.state.kind).toBe('waiting');
    // The other process finishes: module and record appear, the lock goes.
    writeFileSync(paths.module, 'theirs');
    await writeAotMeta(paths, { wasmedgeVersion: '0.17.1', sourceSha256: await sha256File(source) }, 6);
    await held!.release();
    await waitFor(compiler);
    expect(compiler.state.kind).toBe('ready');
    expect(calls).toEqual([]);
    expect(existsSync(paths.lock)).toBe(false);
  });

  it('stops waiting on close', async () => {
    const home = freshHome();
    const paths = aotCachePaths(home, '0.17.1');
    mkdirSync(paths.dir, { recursive: true });
    const held = await tryAotLock(paths.lock);
    const compiler = new AotCompiler({ binary: 'unused', version: '0.17.1', pythonWasm: source, dataHome: home, compile: writingCompile([]), pollMs: 60_000 });
    compiler.start();
    await new Promise((r) => setTimeout(r, 50));
    await compiler.close();
    expect(compiler.state.kind).toBe('waiting');
    await held!.release();
  });
});
