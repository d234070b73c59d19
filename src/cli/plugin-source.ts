import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseManifestText } from '../library/manifest.ts';
import { CODE_FILE, MANIFEST_FILE } from '../library/workspace.ts';
import { WasmForgeError } from '../shared/errors.ts';
import type { SandboxLimits } from '../sandbox/index.ts';

export interface PluginSource {
  code: string;
  filename: string;
  manifestLimits?: Partial<SandboxLimits>;
  manifestModels?: string[];
}

/** A plugin given on the command line: a .py file, or a folder with plugin.py and (optionally) plugin.json. */
export async function readPluginSource(path: string): Promise<PluginSource> {
  const info = await stat(path).catch(() => {
    throw new WasmForgeError('NOT_FOUND', `No plugin at ${path}`);
  });
  if (!info.isDirectory()) return { code: await readFile(path, 'utf8'), filename: basename(path) };
  const code = await readFile(join(path, CODE_FILE), 'utf8').catch(() => {
    throw new WasmForgeError('NOT_FOUND', `${path} has no ${CODE_FILE}`);
  });
  const manifestText = await readFile(join(path, MANIFEST_FILE), 'utf8').catch(() => undefined);
  if (manifestText === undefined) return { code, filename: CODE_FILE };
  const manifest = parseManifestText(manifestText, join(path, MANIFEST_FILE));
  return {
    code,
    filename: CODE_FILE,
    manifestLimits: manifest.limits,
    // A workspace plugin that names no models may call any approved one, as in the app's Builder.
    manifestModels: manifest.models.length > 0 ? manifest.models : undefined,
  };
}
