// Baseline: the original's design, one new process per run. Node starts, compiles python.wasm,
// and runs it on node:wasi with the same guest command line; the parent speaks the same frames.
import { readFileSync } from 'node:fs';
import { WASI } from 'node:wasi';

const [wasmPath, argvFile] = process.argv.slice(2);
const args = JSON.parse(readFileSync(argvFile, 'utf8'));
const wasi = new WASI({ version: 'preview1', args, env: {}, preopens: {}, returnOnExit: true });
const module = await WebAssembly.compile(readFileSync(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
