import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GuestJob {
  mode: 'run' | 'check';
  filename: string;
  code: string;
  input: string;
  /** The run's output limit: what a plugin printed becomes its output (when it sends none) up to this. */
  outputBytes?: number;
}

const DEFAULT_OUTPUT_BYTES = 1024 * 1024;

/** The `run` frame's payload: a four-line header, then the code and the input as UTF-8. */
export function encodeJob(job: GuestJob): Uint8Array {
  const code = Buffer.from(job.code, 'utf8');
  const header = Buffer.from(`${job.mode}\n${job.filename}\n${job.outputBytes ?? DEFAULT_OUTPUT_BYTES}\n${code.length}\n`, 'utf8');
  return Buffer.concat([header, code, Buffer.from(job.input, 'utf8')]);
}

/**
 * CPython's command line for every guest: no site, isolated (no environment, no user paths), no
 * bytecode writes; the SDK and the runner arrive inside `-c` so the guest needs no file at all.
 */
export function guestArgv(sdkDir: string): string[] {
  const sdk = readFileSync(join(sdkDir, 'platform_sdk.py'), 'utf8');
  const runner = readFileSync(join(sdkDir, 'wasmforge_runner.py'), 'utf8');
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
    `sys.modules["platform_sdk"] = _load("platform_sdk", ${pythonString(sdk)})`,
    `_load("wasmforge_runner", ${pythonString(runner)}, {"SOURCES": _sources})`,
  ].join('\n');
  return ['python', '-S', '-I', '-B', '-c', bootstrap];
}

/** A JSON string literal is a valid Python string literal for ASCII-safe text. */
function pythonString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
