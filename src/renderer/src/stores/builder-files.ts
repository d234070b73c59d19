import { ENTRY_FILE, pluginFilesProblem, pluginPathProblem, type PluginFiles } from '../../../shared/plugin-files.ts';

// The Builder's file list edits, as pure functions over the draft's files: each returns the new
// files, or why not (the sandbox's own rules, so nothing the editor accepts fails a run or a save).

/** Where the user types a path: what it must look like. */
export const FILE_PATH_RULE = 'A relative path such as helpers.py or data/words.txt';

function refusal(code: string, files: PluginFiles, path: string): string | null {
  if (path === ENTRY_FILE || Object.hasOwn(files, path)) return `The plugin already has ${path}`;
  const problem = pluginPathProblem(path);
  if (problem) return `${path}: ${problem}`;
  return pluginFilesProblem({ ...files, [path]: '', [ENTRY_FILE]: code })?.message ?? null;
}

export function withFileAdded(code: string, files: PluginFiles, path: string): PluginFiles | string {
  return refusal(code, files, path) ?? { ...files, [path]: '' };
}

export function withFileRenamed(code: string, files: PluginFiles, from: string, to: string): PluginFiles | string {
  if (from === ENTRY_FILE) return `${ENTRY_FILE} is the plugin's entry: it keeps its name`;
  const text = files[from];
  if (text === undefined) return `The plugin has no ${from}`;
  const rest = withoutFile(files, from);
  return refusal(code, rest, to) ?? { ...rest, [to]: text };
}

export function withoutFile(files: PluginFiles, path: string): PluginFiles {
  return Object.fromEntries(Object.entries(files).filter(([name]) => name !== path));
}
