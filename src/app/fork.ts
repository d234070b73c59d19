import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { forkPlugin } from '../library/workspace.ts';
import type { Marketplace } from '../marketplace/index.ts';
import { WasmForgeError } from '../shared/errors.ts';
import type { PluginManifest, PluginSummary } from '../shared/api/schemas/plugins.ts';
import type { PluginFiles } from '../shared/plugin-files.ts';
import type { AppContext } from './context.ts';
import { toApiManifest } from './plugin-store.ts';

const MAX_COPIES = 50;

/**
 * "Open in Builder": the plugin's code, other files and manifest become a new workspace plugin the user owns
 * (a new name, version 0.1.0). Offline, an installed copy of it serves as the source.
 */
export async function forkToWorkspace(app: AppContext, market: Marketplace, request: { name: string; version?: string; newName?: string }): Promise<PluginSummary> {
  const source = await forkSource(app, market, request.name, request.version);
  const root = join(app.home, 'workspace');
  const name = request.newName ?? (await freeName(root, request.name));
  if (request.newName && (await exists(join(root, name)))) {
    throw new WasmForgeError('ALREADY_EXISTS', `A workspace plugin named "${name}" already exists`, { hint: 'Choose another name.' });
  }
  await forkPlugin(join(root, name), source, name);
  return (await app.plugins.get({ source: 'workspace', name })).summary;
}

async function forkSource(app: AppContext, market: Marketplace, name: string, version?: string): Promise<{ code: string; files: PluginFiles; manifest: PluginManifest }> {
  try {
    const inspected = await market.inspect(version ? `${name}@${version}` : name);
    return { code: inspected.code, files: inspected.files, manifest: toApiManifest(inspected.manifest) };
  } catch (error) {
    const offline = error instanceof WasmForgeError && error.code === 'DB_UNAVAILABLE';
    if (!offline || !app.library.exists()) throw error;
    const copy = await app.library.use((library) => library.getInstalled(name)).catch(() => {
      throw error;
    });
    return { code: copy.code, files: copy.files, manifest: toApiManifest(copy.manifest) };
  }
}

/** `name-copy`, then `name-copy-2`, … the first that is free (and still a valid name). */
async function freeName(root: string, name: string): Promise<string> {
  const base = `${name.slice(0, 55).replace(/-+$/, '')}-copy`;
  for (let n = 1; n <= MAX_COPIES; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await exists(join(root, candidate)))) return candidate;
  }
  throw new WasmForgeError('ALREADY_EXISTS', `There are already ${MAX_COPIES} copies of ${name} in the workspace`, { hint: 'Delete some, or choose a name.' });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
