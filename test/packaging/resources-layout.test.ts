import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverWasmEdge, wasmedgeCandidates } from '../../src/sandbox/wasmedge/binary.ts';
import { PROJECT_DIR, NODE_PLATFORM, copyExtraResources, loadBuilderConfig, type BuildPlatform } from './builder-config.ts';
import { FAKE_WASMEDGE_VERSION, writeFakeWasmEdge } from './fake-wasmedge.ts';
import { resolveAsPackaged, runHelloAsPackaged } from './packaged-run.ts';

// A stand-in project (the real python.wasm and sdk/, a placed WasmEdge for the target and a decoy
// for another), turned into a resources folder by electron-builder's own extraResources copier.
const TARGETS: Array<[BuildPlatform, 'x64' | 'arm64']> = [['linux', 'x64'], ['mac', 'x64'], ['mac', 'arm64'], ['win', 'x64']];

let config: Configuration;
let work: string;
beforeAll(async () => {
  config = await loadBuilderConfig();
  work = mkdtempSync(join(tmpdir(), 'wf-packaging-layout-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function standInProject(name: string, placed: Array<[NodeJS.Platform, string]>): string {
  const project = join(work, name, 'project');
  mkdirSync(join(project, 'resources', 'python'), { recursive: true });
  symlinkSync(join(PROJECT_DIR, 'resources', 'python', 'python.wasm'), join(project, 'resources', 'python', 'python.wasm'));
  symlinkSync(join(PROJECT_DIR, 'sdk'), join(project, 'sdk'));
  for (const [platform, arch] of placed) {
    writeFakeWasmEdge(join(project, 'resources', 'wasmedge', `${platform}-${arch}`), platform as 'linux' | 'darwin' | 'win32');
  }
  return project;
}

async function packagedResources(platform: BuildPlatform, arch: 'x64' | 'arm64', placed: Array<[NodeJS.Platform, string]>): Promise<string> {
  const name = `${platform}-${arch}-${placed.length}`;
  const projectDir = standInProject(name, placed);
  const resourcesDir = join(work, name, 'resources');
  await copyExtraResources(config, { platform, arch, projectDir, resourcesDir });
  return resourcesDir;
}

describe.each(TARGETS)('the %s %s package', (platform, arch) => {
  const nodePlatform = NODE_PLATFORM[platform];
  let resourcesDir: string;
  beforeAll(async () => {
    const decoy: [NodeJS.Platform, string] = [nodePlatform === 'linux' ? 'darwin' : 'linux', 'arm64'];
    resourcesDir = await packagedResources(platform, arch, [[nodePlatform, arch], decoy]);
  });

  it('holds python.wasm, the SDK and only its own WasmEdge, where packagedLayout() looks', () => {
    expect(statSync(join(resourcesDir, 'python', 'python.wasm')).size).toBe(statSync(join(PROJECT_DIR, 'resources', 'python', 'python.wasm')).size);
    expect(readdirSync(join(resourcesDir, 'sdk')).sort()).toEqual(['platform_sdk.py', 'platform_sdk.pyi', 'tzdata.json.gz', 'wasmforge_channel.py', 'wasmforge_files.py', 'wasmforge_runner.py', 'wasmforge_timezones.py']);
    expect(readdirSync(join(resourcesDir, 'wasmedge'))).toEqual([`${nodePlatform}-${arch}`]);
    expect(readdirSync(join(resourcesDir, 'wasmedge', `${nodePlatform}-${arch}`)).sort()).toContain('bin');
  });

  it('resolves through findSandboxResources() and the WasmEdge discovery', () => {
    const resources = resolveAsPackaged(resourcesDir, 'env');
    expect(resources).toEqual({
      pythonWasm: join(resourcesDir, 'python', 'python.wasm'),
      sdkDir: join(resourcesDir, 'sdk'),
      wasmedgeDir: join(resourcesDir, 'wasmedge'),
    });
    const bundled = wasmedgeCandidates({ wasmedgeDir: resources.wasmedgeDir, platform: nodePlatform, arch, env: {} })
      .filter((candidate) => candidate.source === 'bundled' && safeIsFile(candidate.path));
    expect(bundled.map((candidate) => candidate.path)).toEqual([
      join(resourcesDir, 'wasmedge', `${nodePlatform}-${arch}`, 'bin', nodePlatform === 'win32' ? 'wasmedge.exe' : 'wasmedge'),
    ]);
  });
});

describe('a Linux x64 package', () => {
  let withWasmEdge: string;
  let without: string;
  beforeAll(async () => {
    withWasmEdge = await packagedResources('linux', 'x64', [['linux', 'x64']]);
    without = await packagedResources('linux', 'x64', []);
  });

  it.skipIf(process.platform === 'win32')('runs the bundled WasmEdge it ships (symlinked library kept as a link)', async () => {
    const found = await discoverWasmEdge({ wasmedgeDir: join(withWasmEdge, 'wasmedge'), platform: 'linux', arch: 'x64', env: {} });
    expect(found).toMatchObject({ found: true, binary: { source: 'bundled', version: FAKE_WASMEDGE_VERSION } });
    expect(readdirSync(join(withWasmEdge, 'wasmedge', 'linux-x64')).sort()).toEqual(['LICENSE', 'bin', 'include', 'lib64']);
  });

  it('still packages when no WasmEdge was placed, and then ships no wasmedge folder', () => {
    expect(readdirSync(without).sort()).toEqual(['python', 'sdk']);
    expect(resolveAsPackaged(without, 'resourcesPath').pythonWasm).toBe(join(without, 'python', 'python.wasm'));
  });

  it('runs a plugin with python.wasm and the SDK from Electron’s resourcesPath', async () => {
    const { result, resources } = await runHelloAsPackaged(without, 'resourcesPath');
    expect(resources.sdkDir).toBe(join(without, 'sdk'));
    expect(result).toMatchObject({ ok: true, output: 'hello, packaged app', error: null, engine: 'embedded' });
  });
});

function safeIsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
