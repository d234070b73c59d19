import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverWasmEdge, needsRunModeFlag, NOT_FOUND_REASON, parseWasmEdgeVersion, wasmedgeCandidates } from './binary.ts';

// Fake executables here only answer `--version`: they test the discovery order and the version
// parsing, never the engine itself (the engine tests need a real wasmedge).
const root = mkdtempSync(join(tmpdir(), 'wasmforge-wasmedge-discovery-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const platformDir = `${process.platform}-${process.arch}`;
const onWindows = process.platform === 'win32';

function fakeWasmEdge(dir: string, versionLine: string, exitCode = 0): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'wasmedge');
  writeFileSync(path, `#!/bin/sh\necho '${versionLine}'\nexit ${exitCode}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('parseWasmEdgeVersion', () => {
  it('reads the version from `wasmedge --version` output', () => {
    expect(parseWasmEdgeVersion('wasmedge version 0.17.1\n')).toBe('0.17.1');
    expect(parseWasmEdgeVersion('wasmedge version 0.15.0-alpha.3-27-g5e1f\n (plugin "wasi_logging") version 0.1.0.0\n')).toBe('0.15.0-alpha.3-27-g5e1f');
    expect(parseWasmEdgeVersion('WasmEdge v0.13.5')).toBe('0.13.5');
  });

  it('returns undefined when there is no version', () => {
    expect(parseWasmEdgeVersion('')).toBeUndefined();
    expect(parseWasmEdgeVersion('command not found')).toBeUndefined();
    expect(parseWasmEdgeVersion('python version 3.12.0')).toBeUndefined();
  });

  it('knows which versions need --run-mode aot', () => {
    expect(needsRunModeFlag('0.17.1')).toBe(true);
    expect(needsRunModeFlag('0.17.0-alpha.1')).toBe(true);
    expect(needsRunModeFlag('0.16.9')).toBe(false);
    expect(needsRunModeFlag('0.14.1')).toBe(false);
  });
});

describe('wasmedgeCandidates', () => {
  it('orders bundled, then WASMFORGE_WASMEDGE, then PATH', () => {
    const candidates = wasmedgeCandidates({
      wasmedgeDir: '/app/resources/wasmedge', platform: 'linux', arch: 'x64',
      env: { WASMFORGE_WASMEDGE: '/opt/we/bin/wasmedge', PATH: '/usr/local/bin:/usr/bin' },
    });
    expect(candidates.map((c) => c.source)).toEqual(['bundled', 'bundled', 'env', 'env', 'env', 'path', 'path']);
    expect(candidates[0]!.path).toBe(join('/app/resources/wasmedge', 'linux-x64', 'wasmedge'));
    expect(candidates[2]!.path).toBe('/opt/we/bin/wasmedge');
    expect(candidates.at(-1)!.path).toBe(join('/usr/bin', 'wasmedge'));
  });

  it('uses wasmedge.exe, ";" and a case-insensitive Path on Windows', () => {
    const candidates = wasmedgeCandidates({ wasmedgeDir: 'C:\\app\\wasmedge', platform: 'win32', arch: 'x64', env: { Path: 'C:\\we;D:\\tools' } });
    expect(candidates.filter((c) => c.source === 'path').map((c) => c.path)).toEqual([join('C:\\we', 'wasmedge.exe'), join('D:\\tools', 'wasmedge.exe')]);
    expect(candidates[0]!.path.endsWith(join('win32-x64', 'wasmedge.exe'))).toBe(true);
  });
});

describe.skipIf(onWindows)('discoverWasmEdge (fake --version scripts)', () => {
  const bundledRoot = join(root, 'resources');
  const envDir = join(root, 'env');
  const pathDir = join(root, 'path');
  fakeWasmEdge(pathDir, 'wasmedge version 0.16.0');

  it('reports a clear reason when nothing is found', async () => {
    const result = await discoverWasmEdge({ wasmedgeDir: join(root, 'nothing'), env: { PATH: join(root, 'empty') } });
    expect(result).toMatchObject({ found: false, reason: NOT_FOUND_REASON });
  });

  it('finds wasmedge on PATH when nothing else is set', async () => {
    const result = await discoverWasmEdge({ wasmedgeDir: join(root, 'nothing'), env: { PATH: pathDir } });
    expect(result).toMatchObject({ found: true, binary: { source: 'path', version: '0.16.0', path: join(pathDir, 'wasmedge') } });
  });

  it('prefers WASMFORGE_WASMEDGE over PATH, as a file or as a folder', async () => {
    const envBinary = fakeWasmEdge(envDir, 'wasmedge version 0.17.1');
    for (const value of [envBinary, envDir]) {
      const result = await discoverWasmEdge({ wasmedgeDir: join(root, 'nothing'), env: { PATH: pathDir, WASMFORGE_WASMEDGE: value } });
      expect(result).toMatchObject({ found: true, binary: { source: 'env', version: '0.17.1', path: envBinary } });
    }
  });

  it('prefers the bundled binary over everything', async () => {
    const bundled = fakeWasmEdge(join(bundledRoot, platformDir), 'wasmedge version 0.17.0');
    const result = await discoverWasmEdge({ wasmedgeDir: bundledRoot, env: { PATH: pathDir, WASMFORGE_WASMEDGE: envDir } });
    expect(result).toMatchObject({ found: true, binary: { source: 'bundled', version: '0.17.0', path: bundled } });
  });

  it('skips a candidate that fails --version and says why', async () => {
    const broken = join(root, 'broken');
    fakeWasmEdge(broken, 'Segmentation fault', 139);
    const result = await discoverWasmEdge({ wasmedgeDir: join(root, 'nothing'), env: { PATH: pathDir, WASMFORGE_WASMEDGE: broken } });
    expect(result).toMatchObject({ found: true, binary: { source: 'path' } });
    expect(result.rejected.join()).toContain('exit 139');
  });

  it('explains a WASMFORGE_WASMEDGE that points nowhere', async () => {
    const result = await discoverWasmEdge({ wasmedgeDir: join(root, 'nothing'), env: { PATH: '', WASMFORGE_WASMEDGE: join(root, 'missing') } });
    expect(result.found).toBe(false);
    expect(!result.found && result.reason).toContain('WASMFORGE_WASMEDGE');
  });

  it('ignores a file that is not executable', async () => {
    const dir = join(root, 'noexec');
    fakeWasmEdge(dir, 'wasmedge version 0.17.1');
    chmodSync(join(dir, 'wasmedge'), 0o644);
    const result = await discoverWasmEdge({ wasmedgeDir: join(root, 'nothing'), env: { PATH: dir } });
    expect(result).toMatchObject({ found: false, reason: NOT_FOUND_REASON });
  });
});
