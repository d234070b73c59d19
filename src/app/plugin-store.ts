import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { resolvePluginForRun } from '../marketplace/resolve-run.ts';
import { deletePlugin, listWorkspace, openPlugin, renamePlugin, saveCode, saveManifest, type WorkspacePlugin } from '../library/workspace.ts';
import type { InstalledCopy, InstalledPlugin } from '../library/installed.ts';
import { contentSha256, sha256Hex } from '../library/signed-version.ts';
import { WasmForgeError } from '../shared/errors.ts';
import type { PluginFiles } from '../shared/plugin-files.ts';
import {
  pluginManifestSchema, pluginNameSchema, type PluginDetail, type PluginManifest, type PluginRef, type PluginSummary,
} from '../shared/api/schemas/plugins.ts';
import type { LibraryAccess } from './library-access.ts';

/** What a run needs of a stored plugin (installed ones verified: TAMPERED, REVOKED otherwise). */
export interface RunnableCode {
  name: string;
  code: string;
  /** Its other files ({} for a single-file plugin). */
  files: PluginFiles;
  manifest: PluginManifest;
}

/** The plugins the UI lists, opens, saves and runs. */
export interface PluginStore {
  list(): Promise<PluginSummary[]>;
  get(ref: PluginRef): Promise<PluginDetail>;
  save(request: PluginSaveRequest): Promise<PluginSummary>;
  delete(name: string): Promise<void>;
  runnable(ref: PluginRef): Promise<RunnableCode>;
}

/** plugins.save's request: without `files` the other files stay as they are. */
export interface PluginSaveRequest {
  code: string;
  files?: PluginFiles;
  manifest: PluginManifest;
  previousName?: string;
  /** The revision the draft is based on: a plugin changed on disk since is not written over (EDIT_CONFLICT). */
  basedOn?: string;
}

/**
 * The library's plugins as the app sees them: workspace folders under <home>/workspace (the
 * library's atomic folder functions) and installed copies in the local database.
 */
export class LibraryPluginStore implements PluginStore {
  private readonly root: string;

  constructor(private readonly home: string, private readonly library: LibraryAccess) {
    this.root = join(home, 'workspace');
  }

  async list(): Promise<PluginSummary[]> {
    const workspace = (await listWorkspace(this.root)).filter((p) => p.dir === this.folder(p.manifest.name));
    const summaries = await Promise.all(workspace.map((plugin) => this.workspaceSummary(plugin)));
    const installed = this.library.exists() ? await this.library.use((library) => library.listInstalled()) : [];
    return [...summaries, ...installed.map(installedSummary)];
  }

  async get(ref: PluginRef): Promise<PluginDetail> {
    if (ref.source === 'installed') {
      const copy = await this.installedCopy(ref.name);
      return { summary: installedSummary(copy), code: copy.code, files: copy.files, manifest: toApiManifest(copy.manifest) };
    }
    const plugin = await this.open(ref.name);
    return { summary: await this.workspaceSummary(plugin), code: plugin.code, files: plugin.files, manifest: toApiManifest(plugin.manifest) };
  }

  /** Updates only the plugin the draft came from (previousName === name); a new name must be free, so no save overwrites another plugin. */
  async save(request: PluginSaveRequest): Promise<PluginSummary> {
    const { name } = request.manifest;
    const target = this.folder(name);
    if (request.basedOn !== undefined && request.previousName) await this.checkUnchanged(request.previousName, request.basedOn);
    if (request.previousName !== name) {
      if (await exists(target)) throw new WasmForgeError('ALREADY_EXISTS', `A workspace plugin named "${name}" already exists`, { hint: 'Choose another name, or open that plugin' });
      if (request.previousName && (await exists(this.folder(request.previousName)))) await renamePlugin(this.folder(request.previousName), name);
    }
    await mkdir(target, { recursive: true });
    // The code first: if the manifest is refused, the user's code is already safe on disk.
    await saveCode(target, request.code, request.files);
    await saveManifest(target, request.manifest);
    return this.workspaceSummary(await openPlugin(target));
  }

  /** The draft was opened from (or saved as) what is on disk now; a plugin gone meanwhile is simply saved again. */
  private async checkUnchanged(name: string, basedOn: string): Promise<void> {
    const current = await openPlugin(this.folder(name)).catch(() => undefined);
    if (!current || pluginRevision(current) === basedOn) return;
    throw new WasmForgeError('EDIT_CONFLICT', `"${name}" was changed by another program since it was opened here`, {
      hint: 'Load the version on disk, or keep yours and save it over that one',
    });
  }

  async delete(name: string): Promise<void> {
    await deletePlugin((await this.open(name)).dir);
  }

  async runnable(ref: PluginRef): Promise<RunnableCode> {
    if (ref.source === 'workspace') {
      const plugin = await this.open(ref.name);
      return { name: plugin.manifest.name, code: plugin.code, files: plugin.files, manifest: toApiManifest(plugin.manifest) };
    }
    if (!this.library.exists()) throw notInstalled(ref.name);
    const plugin = await this.library.use(() => resolvePluginForRun(ref.name, this.home));
    return { name: plugin.name, code: plugin.code, files: plugin.files, manifest: toApiManifest(plugin.manifest) };
  }

  private async installedCopy(name: string): Promise<InstalledCopy> {
    if (!this.library.exists()) throw notInstalled(name);
    return this.library.use((library) => library.getInstalled(name));
  }

  private async open(name: string): Promise<WorkspacePlugin> {
    try {
      return await openPlugin(this.folder(name));
    } catch (error) {
      if (error instanceof WasmForgeError && error.code !== 'NOT_FOUND') throw error;
      throw new WasmForgeError('NOT_FOUND', `No workspace plugin "${name}"`);
    }
  }

  private async workspaceSummary(plugin: WorkspacePlugin): Promise<PluginSummary> {
    const { manifest } = plugin;
    const updatedAt = await stat(join(plugin.dir, 'plugin.py')).then((s) => s.mtime.toISOString(), () => undefined);
    return {
      source: 'workspace', name: manifest.name, version: manifest.version, description: manifest.description, tags: manifest.tags,
      inputType: manifest.inputType, inputHint: manifest.inputHint, ...(updatedAt ? { updatedAt } : {}), revision: pluginRevision(plugin),
    };
  }

  private folder(name: string): string {
    return join(this.root, pluginNameSchema.parse(name));
  }
}

export function installedSummary(plugin: InstalledPlugin): PluginSummary {
  const { manifest } = plugin;
  return {
    source: 'installed', name: plugin.name, version: plugin.version, description: manifest.description, tags: manifest.tags,
    inputType: manifest.inputType, inputHint: manifest.inputHint, updatedAt: plugin.installedAt,
  };
}

/** A digest of what a workspace plugin holds: its files as a version's sha256 covers them, and its manifest. */
function pluginRevision(plugin: WorkspacePlugin): string {
  return sha256Hex(`${contentSha256(plugin.code, plugin.files)}\n${JSON.stringify(plugin.manifest)}`).slice(0, 24);
}

/** The library's manifest, in the API's shape (the same fields; the API's schema has the last word). */
export function toApiManifest(manifest: unknown): PluginManifest {
  return pluginManifestSchema.parse(manifest);
}

function notInstalled(name: string): WasmForgeError {
  return new WasmForgeError('NOT_FOUND', `No installed plugin "${name}"`, { hint: 'Install it with `wasmforge install`' });
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
