import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { GuestImage } from './messages.ts';
import { importMemory, readSections, readU32 } from './module.ts';

/** The custom section in which scripts/asyncify-python-wasm.js records the build it derived from. */
export const SOURCE_SECTION = 'wasmforge.source-sha256';

export interface GuestModule {
  module: WebAssembly.Module;
  /** Present when the module can be resumed from a memory image (python-asyncify.wasm). */
  image?: GuestImage;
}

/**
 * Loads the module every run is restored with: python-asyncify.wasm, used only when it records
 * the SHA-256 of the python.wasm beside it (a module from another build would resume an image at
 * the wrong place). Its data section is taken out: a restored memory is overwritten whole, so
 * V8 copying 7 MB of data into each instance would be wasted; the worker writes the segments
 * itself once, into the interpreter whose memory becomes the image. `sourceChecked`: the caller
 * knows both files are as they were when this check last passed (see image-cache.ts), so the
 * 26 MB python.wasm need not be read and hashed again.
 */
export async function loadImageModule(asyncifiedPath: string, pythonWasmPath: string, options: { sourceChecked?: boolean } = {}): Promise<GuestModule> {
  const bytes = new Uint8Array(await readFile(asyncifiedPath));
  if (!options.sourceChecked) await checkSource(bytes, asyncifiedPath, pythonWasmPath);
  const { module: withoutData, segments, pages } = takeDataSegments(importMemory(bytes));
  const module = await WebAssembly.compile(withoutData);
  const exports = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = ['asyncify_start_unwind', 'asyncify_start_rewind', '__stack_pointer'].filter((name) => !exports.has(name));
  if (missing.length) throw new Error(`${asyncifiedPath} lacks ${missing.join(', ')}`);
  return { module, image: { ...segments, pages } };
}

async function checkSource(derived: Uint8Array, asyncifiedPath: string, pythonWasmPath: string): Promise<void> {
  const recorded = recordedSource(derived);
  const actual = createHash('sha256').update(await readFile(pythonWasmPath)).digest('hex');
  if (recorded !== actual) {
    throw new Error(`${asyncifiedPath} was derived from another build of python.wasm (${recorded ?? 'none recorded'}, not ${actual})`);
  }
}

function recordedSource(module: Uint8Array): string | undefined {
  for (const section of readSections(module)) {
    if (section.id !== 0) continue;
    const [length, at] = readU32(module, section.contentStart);
    const name = new TextDecoder().decode(module.subarray(at, at + length));
    if (name === SOURCE_SECTION) return new TextDecoder().decode(module.subarray(at + length, section.end));
  }
  return undefined;
}

/**
 * Splits active data segments (`i32.const offset` only, as wasm-ld writes them) from a module:
 * returns the module without its data section, the segments' bytes in one shared buffer (every
 * worker reads the same copy) and the memory's initial size in pages.
 */
export function takeDataSegments(module: Uint8Array): { module: Uint8Array; segments: Pick<GuestImage, 'segments' | 'data'>; pages: number } {
  const sections = readSections(module);
  const data = sections.find((s) => s.id === 11);
  if (!data || sections.some((s) => s.id === 12)) throw new Error('expected a data section without a data count (no bulk memory)');
  const imports = sections.find((s) => s.id === 2)!;
  const pages = importedMemoryPages(module, imports.contentStart, imports.end);
  const [count, first] = readU32(module, data.contentStart);
  const segments = new Uint32Array(new SharedArrayBuffer(count * 3 * 4));
  let at = first;
  for (let i = 0; i < count; i++) {
    if (module[at] !== 0 || module[at + 1] !== 0x41) throw new Error('only active segments at a constant offset are supported');
    const [offset, afterOffset] = readS32(module, at + 2);
    if (module[afterOffset] !== 0x0b) throw new Error('unexpected data segment offset expression');
    const [length, start] = readU32(module, afterOffset + 1);
    segments.set([offset, start - data.contentStart, length], i * 3);
    at = start + length;
  }
  // The section's content in one copy (the few bytes of each segment's header included): 24,000
  // segments copied one by one cost more than the bytes between them.
  const shared = new Uint8Array(new SharedArrayBuffer(data.end - data.contentStart));
  shared.set(module.subarray(data.contentStart, data.end));
  const parts = [module.subarray(0, data.start), module.subarray(data.end)];
  const stripped = new Uint8Array(parts[0]!.length + parts[1]!.length);
  stripped.set(parts[0]!);
  stripped.set(parts[1]!, parts[0]!.length);
  return { module: stripped, segments: { segments: segments.buffer as SharedArrayBuffer, data: shared.buffer as SharedArrayBuffer }, pages };
}

/** The minimum of the memory import that importMemory appended last. */
function importedMemoryPages(module: Uint8Array, from: number, end: number): number {
  let [count, at] = readU32(module, from);
  let pages = 0;
  for (; count > 0; count--) {
    for (let i = 0; i < 2; i++) {
      const [length, next] = readU32(module, at);
      at = next + length;
    }
    const kind = module[at++];
    if (kind === 0x00) [, at] = readU32(module, at);
    else if (kind === 0x02) {
      const flags = module[at++]!;
      [pages, at] = readU32(module, at);
      if (flags & 1) [, at] = readU32(module, at);
    } else throw new Error(`unexpected import kind ${kind}`);
  }
  if (at !== end || pages === 0) throw new Error('could not read the memory import');
  return pages;
}

function readS32(bytes: Uint8Array, at: number): [number, number] {
  let result = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++]!;
    result |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 32 && byte & 0x40) result |= -1 << shift;
  return [result >>> 0, at];
}
