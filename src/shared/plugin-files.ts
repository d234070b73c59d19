import { MAX_CODE_BYTES } from './code-size.ts';
import type { ErrorDetails } from './errors.ts';
import { formatBytes } from './units.ts';
import { WasmForgeError } from './wasmforge-error.ts';

// Free of Buffer and zod (like code-size.ts): the sandbox, the library, the marketplace and the
// renderer all check a plugin's files with this one function.

/**
 * A plugin's files by their path relative to its folder: 'plugin.py', 'helpers.py',
 * 'data/words.txt'. Text only (UTF-8 once encoded): what the sandbox hands the guest, in memory.
 */
export type PluginFiles = Record<string, string>;

/** The entry module every plugin has; its code is the `code` the rest of the product knows. */
export const ENTRY_FILE = 'plugin.py';
/** Each file's cap is the one a single-file plugin's code has always had. */
export const MAX_PLUGIN_FILE_BYTES = MAX_CODE_BYTES;
/** All files together, the entry included. */
export const MAX_PLUGIN_TOTAL_BYTES = 2 * 1024 * 1024;
export const MAX_PLUGIN_FILE_COUNT = 64;
export const MAX_PLUGIN_PATH_CHARS = 200;
/**
 * The guest's own modules (platform_sdk.py, and wasmforge_*.py now and later): a plugin file by such a
 * name would be hidden from tracebacks and never imported, the SDK's being loaded first.
 */
const RESERVED_PLUGIN_FILE = /^(?:platform_sdk|wasmforge_\w*)\.py$/;

/** One path segment: no hidden files, no '.' or '..', nothing a shell or a URI must escape. */
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Why the folder reader leaves out an entry by this name (at the folder's top, or deeper), or null:
 * plugin.json and tests/ are the folder's own, hidden files and Python's cache are not the plugin.
 * The one rule: a path it leaves out is refused everywhere else, so no file is kept that a run from
 * the folder would not have.
 */
export function folderLeavesOut(name: string, atTop: boolean): string | null {
  if (name.startsWith('.')) return 'hidden files are not plugin files';
  if (name === '__pycache__' || name.endsWith('.pyc')) return "__pycache__ and .pyc files are Python's cache, not plugin files";
  if (!atTop) return null;
  if (name === 'plugin.json' || name.startsWith('plugin.json.')) return "plugin.json is the plugin's manifest, not one of its files";
  if (name === 'tests') return "tests/ holds the plugin's test cases, not its files";
  return null;
}

/** What is wrong (the error's details) and the words for it. */
export type PluginFilesProblem = ErrorDetails<'INVALID_PLUGIN_FILES'> & { message: string };

/** Why this path cannot name a plugin file, or null when it can. */
export function pluginPathProblem(path: string): string | null {
  if (path.length === 0 || path.length > MAX_PLUGIN_PATH_CHARS) return `a path is 1 to ${MAX_PLUGIN_PATH_CHARS} characters`;
  if (path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path)) return 'the path must be relative, with / between folders';
  const segments = path.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.')) return "the path may not contain '.' or '..'";
  if (!segments.every((segment) => SEGMENT.test(segment))) {
    return 'each part of the path is letters, digits, _, - and . (not first: no hidden files)';
  }
  if (RESERVED_PLUGIN_FILE.test(path)) return `${path} is the sandbox's own module`;
  for (const [index, segment] of segments.entries()) {
    const leftOut = folderLeavesOut(segment, index === 0);
    if (leftOut) return leftOut;
  }
  return null;
}

/** The first problem with these files (path-sorted, so the same files always give the same answer), or null. */
export function pluginFilesProblem(files: PluginFiles): PluginFilesProblem | null {
  const paths = Object.keys(files).sort();
  if (paths.length > MAX_PLUGIN_FILE_COUNT) {
    return { path: null, reason: 'too-many', message: `A plugin has at most ${MAX_PLUGIN_FILE_COUNT} files; this one has ${paths.length}` };
  }
  let total = 0;
  const encoder = new TextEncoder();
  for (const path of paths) {
    const pathProblem = pluginPathProblem(path);
    if (pathProblem) return { path, reason: 'bad-path', message: `"${path}": ${pathProblem}` };
    const text = files[path];
    if (typeof text !== 'string') return { path, reason: 'not-text', message: `"${path}" must be text` };
    // A UTF-16 unit is at least one UTF-8 byte: a longer string is too large without encoding it.
    const bytes = text.length > MAX_PLUGIN_FILE_BYTES ? text.length : encoder.encode(text).length;
    if (bytes > MAX_PLUGIN_FILE_BYTES) {
      return { path, reason: 'file-too-large', message: `"${path}" is larger than ${MAX_PLUGIN_FILE_BYTES / 1024 / 1024} MiB` };
    }
    total += bytes;
    if (total > MAX_PLUGIN_TOTAL_BYTES) {
      return { path, reason: 'total-too-large', message: `The plugin's files together pass ${MAX_PLUGIN_TOTAL_BYTES / 1024 / 1024} MiB` };
    }
  }
  return null;
}

/** The files as they are, or INVALID_PLUGIN_FILES naming the file and why. */
export function checkPluginFiles(files: PluginFiles): PluginFiles {
  const problem = pluginFilesProblem(files);
  if (problem) throw invalidPluginFiles(problem);
  return files;
}

/** The entry's code and the other files: what a run takes (`code` stays the one text every old caller has). */
export function splitEntry(files: PluginFiles): { code: string; others: PluginFiles } {
  const { [ENTRY_FILE]: code, ...others } = files;
  if (code === undefined) {
    throw invalidPluginFiles({ path: ENTRY_FILE, reason: 'no-entry', message: `A plugin needs a ${ENTRY_FILE}` });
  }
  return { code, others };
}

/** The plugin's files as every review lists them: plugin.py first, then the others by path. */
export function pluginFileNames(files: PluginFiles): string[] {
  return [ENTRY_FILE, ...Object.keys(files).filter((path) => path !== ENTRY_FILE).sort()];
}

export function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** All of a plugin's files together (what runs is all of them): what a consent or a publish review counts. */
export function pluginSize(code: string, files: PluginFiles): { files: number; lines: number; bytes: number } {
  const encoder = new TextEncoder();
  const texts = [code, ...Object.entries(files).filter(([path]) => path !== ENTRY_FILE).map(([, text]) => text)];
  return {
    files: texts.length,
    lines: texts.reduce((sum, text) => sum + lineCount(text), 0),
    bytes: texts.reduce((sum, text) => sum + encoder.encode(text).length, 0),
  };
}

/** "12 lines, 300 B in 3 files" (one file: "6 lines, 184 B"), the same words in the CLI and the app. */
export function describePluginSize(code: string, files: PluginFiles): string {
  const size = pluginSize(code, files);
  const lines = `${size.lines} ${size.lines === 1 ? 'line' : 'lines'}, ${formatBytes(size.bytes)}`;
  return size.files > 1 ? `${lines} in ${size.files} files` : lines;
}

export function invalidPluginFiles({ message, ...details }: PluginFilesProblem): WasmForgeError {
  return new WasmForgeError('INVALID_PLUGIN_FILES', message, { details });
}
