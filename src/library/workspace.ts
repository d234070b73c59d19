import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { WasmForgeError } from '../shared/errors.ts';
import type { PluginFiles } from '../shared/plugin-files.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { readFolderFiles, writeFolderFiles } from './folder-files.ts';
import { assertPluginName, parseManifest, parseManifestText, type ManifestInput, type PluginManifest } from './manifest.ts';

/**
 * A plugin in the author's workspace is a folder: plugin.py, plugin.json, tests/, and any other
 * modules and data files it holds (folder-files.ts says which files count).
 * Every save goes through writeFileAtomic, so a crash mid-save keeps the previous file.
 */
export const CODE_FILE = 'plugin.py';
export const MANIFEST_FILE = 'plugin.json';
export const TESTS_DIR = 'tests';

export interface WorkspacePlugin {
  dir: string;
  manifest: PluginManifest;
  code: string;
  /** The files beside plugin.py (helpers.py, data/words.txt): {} for a single-file plugin. */
  files: PluginFiles;
}

const TEMPLATE = `from platform_sdk import call_ai, get_input, send_output

# get_input() is the whole input; send_output() is what the user sees.
text = get_input()
send_output(call_ai("qwen2.5:1.5b", "Summarize in one sentence: " + text))
`;

/** What the starter (a summarizer) asks for, by input type: the Runner shows it by the input box. */
const STARTER_HINTS: Record<NonNullable<ManifestInput['inputType']>, string> = {
  text: 'Paste the text to summarize', file: 'Choose the file to summarize', json: 'Paste the JSON to summarize',
};

/** Creates a plugin folder; `code` (and `files`) replace the starter template (the app's templates, "Open in Builder"). */
export async function initPlugin(dir: string, options: Partial<ManifestInput> & { code?: string; files?: PluginFiles } = {}): Promise<WorkspacePlugin> {
  const target = resolve(dir);
  if (await isNonEmptyDir(target)) {
    throw new WasmForgeError('ALREADY_EXISTS', `${target} already exists and is not empty`, { hint: 'Pick a new folder name.' });
  }
  const manifest = parseManifest({
    name: options.name ?? slugify(basename(target)),
    version: options.version ?? '0.1.0',
    description: options.description ?? '',
    tags: options.tags ?? [],
    models: options.models ?? ['qwen2.5:1.5b'],
    limits: options.limits ?? {},
    inputType: options.inputType ?? 'text',
    inputHint: options.inputHint ?? STARTER_HINTS[options.inputType ?? 'text'],
  });
  await mkdir(join(target, TESTS_DIR), { recursive: true });
  const code = options.code ?? TEMPLATE;
  const files = options.files ?? {};
  await writeFolderFiles(target, files);
  await writeFileAtomic(join(target, CODE_FILE), code);
  await saveManifest(target, manifest);
  return { dir: target, manifest, code, files };
}

/** "Open in Builder": a copy the user owns, under a new name and a fresh version. */
export async function forkPlugin(dir: string, source: { code: string; files?: PluginFiles; manifest: PluginManifest }, name?: string): Promise<WorkspacePlugin> {
  const forkName = assertPluginName(name ?? `${source.manifest.name}-copy`.slice(0, 64));
  return initPlugin(dir, { ...source.manifest, name: forkName, version: '0.1.0', code: source.code, files: source.files });
}

export async function openPlugin(dir: string): Promise<WorkspacePlugin> {
  const target = resolve(dir);
  const manifestText = await readPluginFile(target, MANIFEST_FILE);
  const code = await readPluginFile(target, CODE_FILE);
  const manifest = parseManifestText(manifestText, join(target, MANIFEST_FILE));
  return { dir: target, manifest, code, files: await readFolderFiles(target) };
}

/** Saves plugin.py, and with `files` makes the other files exactly those (absent: they stay as they are). */
export async function saveCode(dir: string, code: string, files?: PluginFiles): Promise<void> {
  if (files) await writeFolderFiles(resolve(dir), files);
  await writeFileAtomic(join(resolve(dir), CODE_FILE), code);
}

export async function saveManifest(dir: string, manifest: ManifestInput): Promise<PluginManifest> {
  const valid = parseManifest(manifest);
  await writeFileAtomic(join(resolve(dir), MANIFEST_FILE), manifestText(valid));
  return valid;
}

/** Renames the plugin (manifest name) and, when the folder is named after it, the folder too. */
export async function renamePlugin(dir: string, newName: string): Promise<WorkspacePlugin> {
  const name = assertPluginName(newName);
  const plugin = await openPlugin(dir);
  if (basename(plugin.dir) !== plugin.manifest.name || name === plugin.manifest.name) {
    return { ...plugin, manifest: await saveManifest(plugin.dir, { ...plugin.manifest, name }) };
  }
  const target = join(dirname(plugin.dir), name);
  if (await exists(target)) throw new WasmForgeError('ALREADY_EXISTS', `${target} already exists`);
  const manifest = parseManifest({ ...plugin.manifest, name });
  // The new manifest waits beside the old one, so the folder's move is the one step that renames:
  // killed before it, the plugin keeps its name; after it, the next start puts the manifest in place (leftovers.ts).
  const pending = pendingManifestName();
  await writeFileAtomic(join(plugin.dir, pending), manifestText(manifest));
  try {
    await rename(plugin.dir, target);
  } catch (error) {
    await rm(join(plugin.dir, pending), { force: true });
    throw error;
  }
  await rename(join(target, pending), join(target, MANIFEST_FILE));
  return { ...plugin, dir: target, manifest };
}

/** `plugin.json.<pid>-<random>.next`: a manifest written ahead of a rename, named so a killed rename can be finished. */
export const PENDING_MANIFEST = /^plugin\.json\.(\d+)-[0-9a-f]{12}\.next$/;

function pendingManifestName(): string {
  return `${MANIFEST_FILE}.${process.pid}-${randomBytes(6).toString('hex')}.next`;
}

function manifestText(manifest: PluginManifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}

/** Deletes a plugin folder, but only one that really is a plugin (never an arbitrary directory). */
export async function deletePlugin(dir: string): Promise<void> {
  const plugin = await openPlugin(dir);
  await rm(plugin.dir, { recursive: true, force: true });
}

/** The plugin folders directly inside `root`, skipping anything that does not parse. */
export async function listWorkspace(root: string): Promise<WorkspacePlugin[]> {
  const entries = await readdir(resolve(root), { withFileTypes: true }).catch(() => []);
  const plugins = await Promise.all(entries.filter((entry) => entry.isDirectory())
    .map((entry) => openPlugin(join(resolve(root), entry.name)).catch(() => null)));
  return plugins.filter((plugin): plugin is WorkspacePlugin => plugin !== null)
    .sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
}

export function slugify(text: string): string {
  const slug = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 64);
  return slug.length >= 2 ? slug : 'my-plugin';
}

async function readPluginFile(dir: string, file: string): Promise<string> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new WasmForgeError('NOT_FOUND', `${join(dir, file)} not found`, { hint: `Is ${dir} a plugin folder? Create one with \`wasmforge init\`.` });
    }
    throw new WasmForgeError('STORAGE_ERROR', `Could not read ${join(dir, file)}: ${(error as Error).message}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function isNonEmptyDir(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (!info) return false;
  if (!info.isDirectory()) return true;
  return (await readdir(path)).length > 0;
}
