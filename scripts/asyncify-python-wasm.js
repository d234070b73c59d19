#!/usr/bin/env node
// Derives resources/python/python-asyncify.wasm from python.wasm (run after copy-python-wasm.js).
// The embedded engine restores each run's interpreter from a memory image taken while CPython
// waits for its first line of stdin; resuming there needs Asyncify (Binaryen), but only on the
// functions on the stack at that read, so the interpreter runs as fast as before. The derived
// module records the SHA-256 of the build it came from; the engine uses it only for that build.
// Binaryen is a devDependency: where it is missing (a production install) nothing is derived and
// the engine starts every interpreter afresh, as it always could.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'python');
const source = join(dir, 'python.wasm');
const target = join(dir, 'python-asyncify.wasm');
export const SOURCE_SECTION = 'wasmforge.source-sha256';
// How the module is derived: a change here derives it again at the next install.
const RECIPE_SECTION = 'wasmforge.recipe';
const RECIPE = 'asyncify(first read) + strip-debug, v1';
class FirstRead extends Error {}

const bytes = readFileSync(source);
const sourceSha = createHash('sha256').update(bytes).digest('hex');
if (existsSync(target) && recorded(readFileSync(target), SOURCE_SECTION) === sourceSha && recorded(readFileSync(target), RECIPE_SECTION) === RECIPE) process.exit(0);

let binaryen;
try {
  binaryen = (await import('binaryen')).default;
} catch {
  console.log('binaryen is not installed (a production install): python.wasm is used as it is');
  process.exit(0);
}

process.removeAllListeners('warning'); // node:wasi is "experimental": the warning says nothing here
const { WASI } = await import('node:wasi');
const onStackIndices = functionsOnStackAtFirstRead(bytes);
const module = binaryen.readBinary(bytes);
const onStack = onStackIndices.map((index) => binaryen.getFunctionInfo(module.getFunctionByIndex(index)).name);
// python.wasm has one global, the C stack pointer: the engine sets it when it resumes an image.
module.addGlobalExport(binaryen.getGlobalInfo(module.getGlobalByIndex(0)).name, '__stack_pointer');
binaryen.setPassArgument('asyncify-imports', 'wasi_snapshot_preview1.fd_read');
binaryen.setPassArgument('asyncify-onlylist', onStack.join(','));
module.runPasses(['asyncify', 'strip-debug']); // the DWARF sections are 12 MB nothing reads
// Binaryen's -O2 on top (this python.wasm was compiled with -O0) was tried and is not applied: the
// recursion and memory-growth bombs of the hostile suite then broke the engine.
module.addCustomSection(SOURCE_SECTION, new TextEncoder().encode(sourceSha));
module.addCustomSection(RECIPE_SECTION, new TextEncoder().encode(RECIPE));
const derived = module.emitBinary();
module.dispose();
const temporary = `${target}.${process.pid}.tmp`;
writeFileSync(temporary, derived);
renameSync(temporary, target);
console.log(`python-asyncify.wasm derived from python.wasm (sha256 ${sourceSha.slice(0, 12)}…, ${onStack.length} functions instrumented)`);

/**
 * The functions (by index) on the stack when CPython, started as the engine starts it (`-i -c`),
 * first reads stdin: found by running it under node:wasi and reading V8's stack trace there.
 */
function functionsOnStackAtFirstRead(wasm) {
  const wasi = new WASI({ version: 'preview1', args: ['python', '-S', '-I', '-B', '-i', '-c', 'import sys; sys.ps1 = sys.ps2 = ""'], env: {}, returnOnExit: true });
  const imports = { ...wasi.wasiImport };
  let stack;
  imports.fd_read = (fd, ...rest) => {
    if (fd !== 0) return wasi.wasiImport.fd_read(fd, ...rest);
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    stack = new Error('first read').stack;
    Error.stackTraceLimit = limit;
    throw new FirstRead();
  };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), { wasi_snapshot_preview1: imports });
  try {
    wasi.start(instance);
  } catch (error) {
    if (!(error instanceof FirstRead)) throw error;
  }
  const indices = [...(stack ?? '').matchAll(/wasm-function\[(\d+)\]/g)].map((match) => Number(match[1]));
  if (indices.length === 0) throw new Error('CPython never read stdin: cannot tell which functions to instrument');
  return [...new Set(indices)];
}

function recorded(wasm, name) {
  try {
    const [section] = WebAssembly.Module.customSections(new WebAssembly.Module(wasm), name);
    return section ? new TextDecoder().decode(section) : undefined;
  } catch {
    return undefined;
  }
}
