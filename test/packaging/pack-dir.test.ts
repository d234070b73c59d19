import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { Arch, Platform, build } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR, loadBuilderConfig } from './builder-config.ts';
import { unpackedTwin } from '../../src/sandbox/embedded/worker-script.ts';
import { runHelloAsPackaged } from './packaged-run.ts';
import { MAIN_OUT, bundledPackages, excludedPackages, isBuilt, relativeImports } from './runtime-deps.ts';

// The real `electron-builder --linux dir`, offline: electronDist points at a stand-in Electron folder
// (there is no Electron binary here, and downloading one is not possible). Everything electron-builder
// does itself runs: file selection, node_modules collection, app.asar, extraResources, and the fuses:
// the stand-in carries a fuse wire laid out as Electron's (sentinel, version, length, one byte per
// fuse, Electron's defaults), so electron-builder flips it as it would the real binary. Only the installers are left out.
// @electron/fuses finds the wire after this marker (its constants.js); states are '0' and '1'.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron's own defaults: RunAsNode, NodeOptions, inspect and file:// privileges on; the rest off.
const ELECTRON_DEFAULT_FUSES = '10110001';

describe.skipIf(!isBuilt())('electron-builder --dir with a stand-in Electron (needs npm run build)', () => {
  let work: string;
  let appDir: string;
  let asar: string;
  let entries: Set<string>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'wf-pack-dir-'));
    const electronDist = join(work, 'electron-dist');
    mkdirSync(join(electronDist, 'resources'), { recursive: true });
    writeFileSync(join(electronDist, 'electron'), `#!/bin/sh\nexit 0\n# ${SENTINEL}\x01\x08${ELECTRON_DEFAULT_FUSES}\n`, 'latin1');
    chmodSync(join(electronDist, 'electron'), 0o755);
    const electronVersion = (JSON.parse(readFileSync(join(PROJECT_DIR, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }).version;
    await build({
      projectDir: PROJECT_DIR,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      config: { electronDist, electronVersion, directories: { output: join(work, 'dist') } },
      publish: 'never',
    });
    appDir = join(work, 'dist', 'linux-unpacked');
    asar = join(appDir, 'resources', 'app.asar');
    entries = new Set(listPackage(asar, { isPack: false }).map((entry) => entry.replaceAll('\\', '/')));
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs the main, backend, preload and renderer bundles into app.asar, and every import of the main and backend bundles with them', () => {
    for (const file of ['/package.json', '/out/main/index.js', '/out/main/backend.js', '/out/preload/index.cjs', '/out/renderer/index.html']) {
      expect(entries.has(file), file).toBe(true);
    }
    for (const chunk of [...relativeImports(join(MAIN_OUT, 'index.js')), ...relativeImports(join(MAIN_OUT, 'backend.js'))]) {
      expect(entries.has(`/out/main/${chunk.replace(/^\.\//, '')}`), chunk).toBe(true);
    }
  });

  it('unpacks the sandbox worker, one self-contained file, where the app looks for it', () => {
    const unpacked = join(appDir, 'resources', 'app.asar.unpacked');
    const worker = join(unpacked, 'out', 'main', 'sandbox-worker.js');
    expect(readFileSync(worker)).toEqual(readFileSync(join(MAIN_OUT, 'sandbox-worker.js')));
    expect(readdirSync(unpacked, { recursive: true }).map(String).sort()).toEqual(['out', join('out', 'main'), join('out', 'main', 'sandbox-worker.js')]);
    // It imports only Node's own modules: nothing to resolve inside or beside the archive.
    expect(relativeImports(worker)).toEqual([]);
    expect(bundledPackages(join(unpacked, 'out', 'main'))).toEqual([]);
    // The path the app computes inside the archive leads to this file.
    expect(unpackedTwin(join(appDir, 'resources', 'app.asar', 'out', 'main', 'sandbox-worker.js'))).toBe(worker);
  });

  it('keeps the package.json the app starts from (ES module main) without scripts or devDependencies', () => {
    const manifest = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ main: 'out/main/index.js', type: 'module' });
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
  });

  it('includes every package the main process imports and none of the excluded ones', async () => {
    for (const name of bundledPackages()) expect(entries.has(`/node_modules/${name}/package.json`), name).toBe(true);
    const excluded = excludedPackages(await loadBuilderConfig());
    expect(excluded.length).toBeGreaterThan(0);
    const leaked = [...entries].filter((entry) => excluded.some((name) => entry.startsWith(`/node_modules/${name}/`)));
    expect(leaked).toEqual([]);
    expect([...entries].filter((entry) => /^\/(src|test|e2e|bench|resources|sdk|build)\//.test(entry))).toEqual([]);
  });

  it('puts python.wasm (the pinned one) and the SDK beside app.asar, named as the app expects', () => {
    const resources = join(appDir, 'resources');
    expect(readdirSync(resources).sort()).toEqual(['app.asar', 'app.asar.unpacked', 'python', 'sdk']);
    const pinned = /PYTHON_WASM_SHA256 = '([0-9a-f]{64})'/.exec(readFileSync(join(PROJECT_DIR, 'scripts/copy-python-wasm.js'), 'utf8'))?.[1];
    expect(createHash('sha256').update(readFileSync(join(resources, 'python', 'python.wasm'))).digest('hex')).toBe(pinned);
    expect(readdirSync(join(resources, 'sdk')).sort()).toEqual(['platform_sdk.py', 'platform_sdk.pyi', 'tzdata.json.gz', 'wasmforge_channel.py', 'wasmforge_files.py', 'wasmforge_runner.py', 'wasmforge_timezones.py']);
    expect(existsSync(join(appDir, 'wasmforge'))).toBe(true); // linux.executableName
  });

  it('flips the fuses in the executable it ships', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'wasmforge'));
    const state = (option: FuseV1Options) => String.fromCharCode(wire[option] as number);
    expect(wire.version).toBe(FuseVersion.V1);
    expect({
      runAsNode: state(FuseV1Options.RunAsNode),
      cookieEncryption: state(FuseV1Options.EnableCookieEncryption),
      nodeOptions: state(FuseV1Options.EnableNodeOptionsEnvironmentVariable),
      inspect: state(FuseV1Options.EnableNodeCliInspectArguments),
      asarIntegrity: state(FuseV1Options.EnableEmbeddedAsarIntegrityValidation),
      onlyAsar: state(FuseV1Options.OnlyLoadAppFromAsar),
      v8Snapshot: state(FuseV1Options.LoadBrowserProcessSpecificV8Snapshot),
      fileProtocol: state(FuseV1Options.GrantFileProtocolExtraPrivileges),
    }).toEqual({ runAsNode: '0', cookieEncryption: '1', nodeOptions: '0', inspect: '0', asarIntegrity: '1', onlyAsar: '1', v8Snapshot: '0', fileProtocol: '0' });
  });

  it('runs a plugin with the resources folder electron-builder produced', async () => {
    const resources = join(appDir, 'resources');
    const { result, resources: found } = await runHelloAsPackaged(resources, 'env');
    expect(found.pythonWasm).toBe(join(resources, 'python', 'python.wasm'));
    expect(result).toMatchObject({ ok: true, output: 'hello, packaged app', error: null });
  });
});
