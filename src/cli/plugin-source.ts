import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readFolderFiles } from '../library/folder-files.ts';
import { parseManifestText, type PluginManifest } from '../library/manifest.ts';
import { CODE_FILE, MANIFEST_FILE } from '../library/workspace.ts';
import { fileReadError, WasmForgeError } from '../shared/errors.ts';
import type { PluginFiles } from '../shared/plugin-files.ts';
import { UsageError } from './output.ts';

export interface PluginSource {
  code: string;
  /** What tracebacks call the file: plugin.py in a folder, else the file's own name made safe. */
  filename: string;
  /** A folder's other modules and data files (none for a lone .py file). */
  files?: PluginFiles;
  /** A folder's plugin.json (a lone .py file has none). */
  manifest?: PluginManifest;
}

/**
 * `rename`, `rm` and `test` take a plugin folder or a workspace plugin's name: a path (it exists
 * here, or has a slash in it) is a folder; anything else names a workspace plugin.
 */
export function isPluginPath(plugin: string): boolean {
  return existsSync(plugin) || /[\\/]/.test(plugin);
}

/**
 * The plugin folder a path names: the folder itself, or the one holding a plugin.py named (what
 * `run` also takes); any other file is no plugin folder (a usage error, exit 2). Missing: as it is.
 */
export async function pluginFolderOf(path: string, command: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || info.isDirectory()) return path;
  if (basename(path) === CODE_FILE) return dirname(path);
  throw new UsageError(`${command} needs a plugin folder (plugin.py, plugin.json, tests/) or a workspace plugin's name, not the file ${path}`);
}

/** A plugin given on the command line: a .py file, or a folder with plugin.py, (optionally) plugin.json, and any other modules and data files. */
export async function readPluginSource(path: string): Promise<PluginSource> {
  const info = await stat(path).catch(() => {
    throw new WasmForgeError('NOT_FOUND', `No plugin at ${path}`);
  });
  if (!info.isDirectory()) return { code: await readTextFile(path, 'plugin'), filename: safePluginFilename(path) };
  const code = await readFile(join(path, CODE_FILE), 'utf8').catch(() => {
    throw new WasmForgeError('NOT_FOUND', `${path} has no ${CODE_FILE}`);
  });
  const files = await readFolderFiles(path);
  const manifestText = await readFile(join(path, MANIFEST_FILE), 'utf8').catch(() => undefined);
  if (manifestText === undefined) return { code, filename: CODE_FILE, files };
  return { code, filename: CODE_FILE, files, manifest: parseManifestText(manifestText, join(path, MANIFEST_FILE)) };
}

/**
 * The sandbox names files `name.py` in ASCII letters, digits, `_`, `.` and `-`. Any file runs: its
 * name is mapped to the nearest such name, so a traceback still says which file it was
 * (`my plugin.py` → my_plugin.py, `résumé.py` → resume.py, `echo.PY` and `echo` → echo.py).
 */
export function safePluginFilename(path: string): string {
  const stem = basename(path).replace(/\.py$/i, '')
    .normalize('NFKD').replace(/\p{M}/gu, '')
    .replace(/[^\w.-]+/g, '_').replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 96);
  return `${/[A-Za-z0-9]/.test(stem) ? stem : 'plugin'}.py`;
}

/** A file the user named (`--input-file`, `--replay`): a missing one is NOT_FOUND, saying which. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw fileReadError(error, path, what);
  }
}
