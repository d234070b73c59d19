import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginFiles } from '../shared/plugin-files.ts';

export interface GuestJob {
  mode: 'run' | 'check';
  filename: string;
  code: string;
  /** The plugin's other files (modules, data), by relative path: the guest reads them from memory. */
  files?: PluginFiles;
  input: string;
  /** The run's output limit: what a plugin printed becomes its output (when it sends none) up to this. */
  outputBytes?: number;
}

const DEFAULT_OUTPUT_BYTES = 1024 * 1024;

/** The `run` frame's payload: a five-line header, then the code, the other files and the input (decode_job reads it). */
export function encodeJob(job: GuestJob): Uint8Array {
  const code = Buffer.from(job.code, 'utf8');
  const files = encodeFiles(job.files ?? {});
  const header = Buffer.from(`${job.mode}\n${job.filename}\n${job.outputBytes ?? DEFAULT_OUTPUT_BYTES}\n${code.length}\n${files.length}\n`, 'utf8');
  return Buffer.concat([header, code, files, Buffer.from(job.input, 'utf8')]);
}

/** Each file as "<path>\n<byte length>\n" and its UTF-8 bytes, in path order (sdk/wasmforge_files.py reads it). */
function encodeFiles(files: PluginFiles): Buffer {
  const sorted = Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1));
  return Buffer.concat(sorted.flatMap(([path, text]) => {
    const bytes = Buffer.from(text, 'utf8');
    return [Buffer.from(`${path}\n${bytes.length}\n`, 'utf8'), bytes];
  }));
}

/** What the embedded engine answers CPython's first read of its prompt loop with (see guestArgv). */
export const SERVE_STATEMENT = '_runner.serve()\n';

/**
 * Imported before a sandbox's memory image is taken, so that runs restored from it find them
 * loaded: what plugins commonly import, and what the runner needs to report an error.
 */
const PRELOADED = ['json', 're', 'random', 'math', 'datetime', 'collections', 'itertools', 'functools', 'string', 'textwrap', 'base64', 'traceback', 'linecache'];

export interface GuestArgvOptions {
  /**
   * Prepare, then wait in CPython's own prompt loop (`-i`, prompts emptied) for SERVE_STATEMENT.
   * Its first read of stdin is then made from C with no Python frame on the stack: the point at
   * which the embedded engine takes the memory image it restores each run from.
   */
  interactive?: boolean;
}

/**
 * CPython's command line for every guest: no site, isolated (no environment, no user paths), no
 * bytecode writes; the SDK and the runner arrive inside `-c` so the guest needs no file at all.
 * Without `interactive` the guest goes straight on to serve its run (WasmEdge: a process per run).
 */
export function guestArgv(sdkDir: string, options: GuestArgvOptions = {}): string[] {
  const [sdk, runner, files, channel, timezones] = ['platform_sdk', 'wasmforge_runner', 'wasmforge_files', 'wasmforge_channel', 'wasmforge_timezones']
    .map((name) => readFileSync(join(sdkDir, `${name}.py`), 'utf8')) as [string, string, string, string, string];
  const bootstrap = [
    'import sys, types',
    '_sources = {}',
    'def _load(name, source, given=None):',
    '    module = types.ModuleType(name)',
    '    module.__file__ = name + ".py"',
    '    module.__dict__.update(given or {})',
    '    _sources[module.__file__] = source',
    '    exec(compile(source, module.__file__, "exec"), module.__dict__)',
    '    return module',
    // platform_sdk imports these two: they are in sys.modules first.
    `sys.modules["wasmforge_channel"] = _load("wasmforge_channel", ${pythonString(channel)})`,
    `sys.modules["wasmforge_timezones"] = _load("wasmforge_timezones", ${pythonString(timezones)})`,
    `sys.modules["platform_sdk"] = _load("platform_sdk", ${pythonString(sdk)})`,
    `sys.modules["wasmforge_files"] = _load("wasmforge_files", ${pythonString(files)})`,
    `_runner = _load("wasmforge_runner", ${pythonString(runner)}, {"SOURCES": _sources})`,
    ...(options.interactive
      ? ['_runner.prepare()', `import ${PRELOADED.join(', ')}`, 'sys.ps1 = sys.ps2 = ""']
      : ['_runner.main()']),
  ].join('\n');
  return ['python', '-S', '-I', '-B', ...(options.interactive ? ['-i'] : []), '-c', bootstrap];
}

/** A JSON string literal is a valid Python string literal for ASCII-safe text. */
function pythonString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
