// The packaging tests use electron-builder's own code (the version package.json pins) to read,
// validate and apply electron-builder.yml, so they check what a real build would do, offline.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo } from 'app-builder-lib/out/appInfo.js';
import * as fileMatcher from 'app-builder-lib/out/fileMatcher.js';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { expandMacro } from 'app-builder-lib/out/util/macroExpander.js';
import { DebugLogger } from 'builder-util';
import type { Configuration, PlatformSpecificBuildOptions } from 'electron-builder';

export const PROJECT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type BuildPlatform = 'linux' | 'mac' | 'win';
export const NODE_PLATFORM = { linux: 'linux', mac: 'darwin', win: 'win32' } as const satisfies Record<BuildPlatform, NodeJS.Platform>;

/** electron-builder.yml as electron-builder loads it, after its schema validation. */
export async function loadBuilderConfig(projectDir = PROJECT_DIR): Promise<Configuration> {
  const config = await getConfig(projectDir, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

/** Runs electron-builder's schema validation on a configuration object (throws when invalid). */
export async function validateBuilderConfig(config: Configuration): Promise<void> {
  await validateConfiguration(config, new DebugLogger(false));
}

// copyFiles is what electron-builder copies extraResources with; its typings leave it out (@internal).
const { copyFiles, getFileMatchers } = fileMatcher as unknown as typeof fileMatcher & {
  copyFiles(matchers: fileMatcher.FileMatcher[] | null, transformer: null, isUseHardLink: boolean): Promise<unknown>;
};

export interface ExtraResourcesTarget {
  platform: BuildPlatform;
  arch: 'x64' | 'arm64';
  /** Where the `from` paths are read (a real or a simulated project folder). */
  projectDir: string;
  /** The packaged app's resources folder (process.resourcesPath) to fill. */
  resourcesDir: string;
}

/** Copies extraResources for one platform/arch exactly as electron-builder's packager does. */
export async function copyExtraResources(config: Configuration, target: ExtraResourcesTarget): Promise<void> {
  mkdirSync(target.resourcesDir, { recursive: true });
  const appInfo = { productName: config.productName, sanitizedProductName: config.productName } as unknown as AppInfo;
  const matchers = getFileMatchers(config, 'extraResources', target.resourcesDir, {
    macroExpander: (pattern) => expandMacro(pattern, target.arch, appInfo, { '/*': '{,/**/*}', os: target.platform }),
    customBuildOptions: (config[target.platform] ?? {}) as PlatformSpecificBuildOptions,
    globalOutDir: join(target.projectDir, 'dist'),
    defaultSrc: target.projectDir,
  });
  await copyFiles(matchers, null, false);
}

/** Every extraResources entry of the file (top level and the platform's own), unexpanded. */
export function extraResourceEntries(config: Configuration, platform: BuildPlatform): Array<{ from: string; to: string; filter?: string[] }> {
  const entries = [config.extraResources, config[platform]?.extraResources].flat();
  return entries.filter((entry) => entry != null && typeof entry === 'object') as Array<{ from: string; to: string; filter?: string[] }>;
}
