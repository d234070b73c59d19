import { mkdir, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WasmForgeError } from '../shared/errors.ts';
import { checkPluginFiles, ENTRY_FILE, folderLeavesOut, invalidPluginFiles, MAX_PLUGIN_FILE_COUNT, pluginPathProblem, type PluginFiles } from '../shared/plugin-files.ts';
import { writeFileAtomic } from './atomic-write.ts';

/**
 * A workspace plugin's files beside plugin.py: its other modules and small data files, every
 * file of the folder but plugin.py, plugin.json, tests/, hidden files, __pycache__ and the
 * library's own pending files. Symbolic links are not followed (a plugin is what its folder holds).
 */
function isPluginEntry(name: string, atTop: boolean): boolean {
  // plugin.py is read as the code; the rest is the rule every other part checks paths with.
  return !(atTop && name === ENTRY_FILE) && folderLeavesOut(name, atTop) === null;
}

/** The folder's other files by relative path (INVALID_PLUGIN_FILES for a name, size or count the sandbox would refuse). */
export async function readFolderFiles(dir: string): Promise<PluginFiles> {
  const paths = await listFolderFiles(dir, '');
  const files: PluginFiles = {};
  for (const path of paths) {
    const problem = pluginPathProblem(path);
    if (problem) throw invalidPluginFiles({ path, reason: 'bad-path', message: `${join(dir, path)}: ${problem}` });
    files[path] = await readFile(join(dir, path), 'utf8');
  }
  return checkPluginFiles(files);
}

async function listFolderFiles(dir: string, prefix: string): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new WasmForgeError('STORAGE_ERROR', `Could not read ${join(dir, prefix)}: ${error.message}`);
  });
  const paths: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!isPluginEntry(entry.name, prefix === '')) continue;
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) paths.push(...await listFolderFiles(dir, path));
    else if (entry.isFile()) paths.push(path);
    // A folder full of files is refused before all of them are read.
    if (paths.length > MAX_PLUGIN_FILE_COUNT) {
      throw invalidPluginFiles({ path: null, reason: 'too-many', message: `${dir} holds more than ${MAX_PLUGIN_FILE_COUNT} plugin files` });
    }
  }
  return paths;
}

/**
 * Makes the folder's other files exactly these: each written atomically, then the ones no longer
 * there removed (a file renamed in the Builder is a new path and an old one), then empty folders.
 */
export async function writeFolderFiles(dir: string, files: PluginFiles): Promise<void> {
  checkPluginFiles(files);
  if (Object.hasOwn(files, ENTRY_FILE)) throw invalidPluginFiles({ path: ENTRY_FILE, reason: 'bad-path', message: `${ENTRY_FILE} is the plugin's code, not one of its other files` });
  const before = await listFolderFiles(dir, '').catch(() => []);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFileAtomic(join(dir, path), text);
  }
  const gone = before.filter((path) => !Object.hasOwn(files, path));
  for (const path of gone) await rm(join(dir, path), { force: true });
  for (const folder of emptiedFolders(gone)) await rmdir(join(dir, folder)).catch(() => undefined);
}

/** The folders of removed files, deepest first (rmdir leaves a folder that still holds something). */
function emptiedFolders(paths: string[]): string[] {
  const folders = new Set<string>();
  for (const path of paths) {
    for (let folder = dirname(path); folder !== '.'; folder = dirname(folder)) folders.add(folder);
  }
  return [...folders].sort((a, b) => b.split('/').length - a.split('/').length);
}
