import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { findSandboxResources } from '../resources.ts';
import { writeSegments } from './image.ts';
import { importMemory, loadSandboxModule, MEMORY_IMPORT } from './module.ts';
import { takeDataSegments } from './snapshot-module.ts';

describe('python.wasm memory rewrite', () => {
  it('turns the defined memory into an import and keeps every other import and export', async () => {
    const { pythonWasm } = findSandboxResources();
    const original = await WebAssembly.compile(await readFile(pythonWasm));
    const patched = await loadSandboxModule(pythonWasm);
    const importsBefore = WebAssembly.Module.imports(original);
    const importsAfter = WebAssembly.Module.imports(patched);
    expect(importsAfter).toEqual([...importsBefore, { ...MEMORY_IMPORT, kind: 'memory' }]);
    expect(WebAssembly.Module.exports(patched)).toEqual(WebAssembly.Module.exports(original));
  });

  it('drops the custom sections, about half of the file', async () => {
    const { pythonWasm } = findSandboxResources();
    const original = new Uint8Array(await readFile(pythonWasm));
    const patched = importMemory(original);
    expect(patched.length).toBeLessThan(original.length * 0.6);
    expect(WebAssembly.Module.customSections(await WebAssembly.compile(patched), 'name')).toEqual([]);
  });

  it('rejects a module with no memory section', () => {
    const empty = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0);
    expect(() => importMemory(empty)).toThrow(/no memory or import section/);
  });
});

describe('the data segments of the module runs are restored with', () => {
  it('go to every worker as shared memory, table and bytes, and write what instantiation would', async () => {
    const { pythonWasm } = findSandboxResources();
    const module = importMemory(new Uint8Array(await readFile(pythonWasm)));
    const { segments, pages } = takeDataSegments(module);
    // Structured-cloned into each worker, 24,000 segment objects cost 6 MB of every ready sandbox.
    expect(segments.segments).toBeInstanceOf(SharedArrayBuffer);
    expect(segments.data).toBeInstanceOf(SharedArrayBuffer);
    const written = new WebAssembly.Memory({ initial: pages });
    writeSegments(written, { ...segments, pages });
    const instantiated = new WebAssembly.Memory({ initial: pages });
    const compiled = await WebAssembly.compile(module);
    const wasi = Object.fromEntries(WebAssembly.Module.imports(compiled).filter((i) => i.kind === 'function').map((i) => [i.name, () => 0]));
    new WebAssembly.Instance(compiled, { wasi_snapshot_preview1: wasi, [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: instantiated } });
    expect(Buffer.compare(new Uint8Array(written.buffer), new Uint8Array(instantiated.buffer))).toBe(0);
  });
});
