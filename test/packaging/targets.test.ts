// Each installer target's own offline checks, run with electron-builder's own code on this
// repository's configuration: what `dist:linux`, `dist:mac` and `dist:win` would refuse or produce
// before they need the network (Electron downloads, fpm, NSIS, hdiutil are not available here).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppInfo, PlatformPackager } from 'app-builder-lib';
import FpmTargetModule from 'app-builder-lib/out/targets/FpmTarget.js';
import * as packageMetadata from 'app-builder-lib/out/util/packageMetadata.js';
import { expandMacro } from 'app-builder-lib/out/util/macroExpander.js';
import { deepAssign } from 'builder-util-runtime';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_DIR, loadBuilderConfig } from './builder-config.ts';

// electron-builder's typings leave these out (@internal); they are the functions its build calls.
type Metadata = Record<string, unknown> & { homepage?: string };
const { checkMetadata, readPackageJson } = packageMetadata as unknown as {
  readPackageJson(file: string): Promise<Metadata>;
  checkMetadata(metadata: Metadata, devMetadata: Metadata, appPackageFile: string, devAppPackageFile: string): void;
};
const { generateFuseConfig } = PlatformPackager.prototype as unknown as { generateFuseConfig(fuses: object): Promise<Record<string, unknown>> };
type FpmTargetClass = { prototype: { computeFpmMetaInfoOptions(): Promise<never> } };
let config: Configuration;
let metadata: Metadata;
beforeAll(async () => {
  config = await loadBuilderConfig();
  metadata = await readPackageJson(join(PROJECT_DIR, 'package.json'));
});

/** electron-builder's AppInfo for package.json as it reads it (no git repository to fall back on). */
function appInfo(meta: Metadata, platformOptions: object | null = null): AppInfo {
  const info = { metadata: meta, devMetadata: meta, config, repositoryInfo: Promise.resolve(null) };
  return new AppInfo(info as unknown as ConstructorParameters<typeof AppInfo>[0], null, platformOptions as never);
}

/** The deb target's package metadata (FpmTarget.computeFpmMetaInfoOptions), which it checks before building. */
function debMetadata(meta: Metadata): Promise<{ name: string; maintainer: string; url: string; vendor: string }> {
  // A CommonJS `exports.default`: Node hands over either the class or the module object.
  const loaded = FpmTargetModule as unknown as FpmTargetClass & { default?: FpmTargetClass };
  const FpmTarget = loaded.default ?? loaded;
  const packager = { appInfo: appInfo(meta, config.linux ?? null), info: { metadata: meta } };
  const options = deepAssign({}, config.linux ?? {}, config.deb ?? {});
  return FpmTarget.prototype.computeFpmMetaInfoOptions.call({ packager, options, name: 'deb' });
}

describe('the installers’ own checks', () => {
  it('package.json has what electron-builder asks of the app (name, version, description, author)', () => {
    expect(() => checkMetadata(metadata, metadata, 'package.json', 'package.json')).not.toThrow();
    expect(metadata).toMatchObject({ author: { name: 'WasmForge contributors', email: 'maintainers@wasmforge.dev' }, homepage: expect.stringMatching(/^https:\/\//) });
  });

  it('deb: the package names its homepage, maintainer and vendor (it refuses to build without them)', async () => {
    await expect(debMetadata(metadata)).resolves.toEqual({
      name: 'wasmforge', url: metadata.homepage, maintainer: 'WasmForge contributors <maintainers@wasmforge.dev>', vendor: 'WasmForge contributors <maintainers@wasmforge.dev>',
    });
    // The check is real: without a homepage the deb target stops.
    const { homepage: _homepage, ...withoutHomepage } = metadata;
    await expect(debMetadata(withoutHomepage as Metadata)).rejects.toThrow(/Please specify project homepage/);
  });

  it('AppImage and deb: a freedesktop main category and a lowercase executable', () => {
    expect(['AudioVideo', 'Audio', 'Video', 'Development', 'Education', 'Game', 'Graphics', 'Network', 'Office', 'Science', 'Settings', 'System', 'Utility']).toContain(config.linux?.category);
    expect(appInfo(metadata, config.linux ?? null).productFilename).toBe('wasmforge');
    expect(expandMacro(config.artifactName!, 'x64', appInfo(metadata), { os: 'linux', ext: 'AppImage' })).toBe('WasmForge-0.1.0-linux-x64.AppImage');
  });

  it('nsis: an assisted installer (the only kind that may let the user choose the folder), per user, with real .ico icons', () => {
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
    for (const icon of [config.win?.icon, config.nsis?.installerIcon, config.nsis?.uninstallerIcon]) {
      expect(readFileSync(join(PROJECT_DIR, String(icon))).subarray(0, 4), String(icon)).toEqual(Buffer.from([0, 0, 1, 0]));
    }
  });

  it('dmg: the window title expands to the product and version', () => {
    expect(expandMacro(String(config.dmg?.title), null, appInfo(metadata))).toBe('WasmForge 0.1.0');
  });

  it('the fuses electron-builder writes into Electron, with the ad-hoc macOS signature redone afterwards', async () => {
    const { FuseV1Options, FuseVersion } = await import('@electron/fuses');
    const fuseConfig = await generateFuseConfig.call({}, config.electronFuses!);
    expect(fuseConfig).toEqual({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });
});
