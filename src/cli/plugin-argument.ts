import { existsSync, statSync } from 'node:fs';
import { dataPath, resolveDataHome } from '../library/home.ts';
import { Library } from '../library/library.ts';
import { parsePluginSpec } from '../library/manifest.ts';
import { errorInfoOf } from '../shared/api/api-error.ts';
import { PLUGIN_NAME_PATTERN } from '../shared/api/names.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { argument } from './output.ts';

/** A plugin named on the command line (`run`, `export`): a file or folder on disk, or an installed plugin. */
export type PluginArgument = { kind: 'path'; path: string } | { kind: 'installed'; name: string; version?: string };

/**
 * The one rule for a plugin argument that may be either:
 * - `name@version` is the installed plugin;
 * - anything that is not a plugin name (`./summarize`, `summarize/`, `/abs/dir`, `echo.py`) is a path;
 * - a bare name is the installed plugin when nothing here has that name, and the file or folder
 *   here when no plugin of that name is installed. When both exist it is refused (BAD_INPUT)
 *   rather than one picked in silence: which one ran would hang on the folder it was typed in.
 */
export async function resolvePluginArgument(arg: string): Promise<PluginArgument> {
  const at = arg.lastIndexOf('@');
  const name = at > 0 ? arg.slice(0, at) : arg;
  if (!PLUGIN_NAME_PATTERN.test(name)) return { kind: 'path', path: arg };
  const here = at > 0 ? null : kindHere(arg);
  if (here === null) return { kind: 'installed', ...argument(() => parsePluginSpec(arg)) };
  const installed = await installedVersion(name);
  if (installed === null) return { kind: 'path', path: arg };
  return argument(() => {
    throw ambiguous(name, here, installed);
  });
}

/** Exit 2 (a usage error), naming both and how to say each one. */
function ambiguous(name: string, what: 'folder' | 'file', version: string): WasmForgeError {
  return new WasmForgeError('BAD_INPUT', `"${name}" names both the ${what} ./${name} here and the installed plugin ${name} ${version}`, {
    hint: `Use ./${name} for the ${what}, or ${name}@${version} for the installed plugin.`,
  });
}

/** The installed copy's version, null when none is; no local database means nothing is installed (and none is made to say so). */
export async function installedVersion(name: string): Promise<string | null> {
  const home = resolveDataHome();
  if (!existsSync(dataPath(home, 'db'))) return null;
  const library = await Library.open(home);
  try {
    return (await library.getInstalled(name)).version;
  } catch (error) {
    if (errorInfoOf(error).code === 'NOT_FOUND') return null;
    throw error;
  } finally {
    await library.close();
  }
}

/**
 * NOT_FOUND for `name@version` when another version (or none) is installed. That version may exist
 * nowhere, so the hint offers what is here first: the version installed, a file or folder of that
 * name (what someone writing the plugin meant), and installing only if the marketplace has it.
 */
export function versionNotInstalled(name: string, version: string, installed: string | null, verb: 'run' | 'export'): WasmForgeError {
  const install = `\`wasmforge install ${name}@${version}\` if the marketplace has it`;
  const fromMarketplace = installed === null ? `install it with ${install}` : `${verb} ${name}@${installed} (installed), or install ${version} with ${install}`;
  const here = kindHere(name);
  return new WasmForgeError('NOT_FOUND', `${name}@${version} is not installed${installed === null ? '' : ` (installed: ${installed})`}`, {
    hint: here ? `./${name} is a ${here} here: ${verb} ./${name}; or ${fromMarketplace}.` : `${fromMarketplace[0]!.toUpperCase()}${fromMarketplace.slice(1)}.`,
  });
}

function kindHere(name: string): 'folder' | 'file' | null {
  if (!existsSync(name)) return null;
  return statSync(name).isDirectory() ? 'folder' : 'file';
}
