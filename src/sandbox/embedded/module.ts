import { readFile } from 'node:fs/promises';

/**
 * python.wasm defines its own memory with no maximum, so a guest could grow it without bound.
 * We rewrite the module once, in memory, so that the memory is *imported* instead: each run then
 * supplies a WebAssembly.Memory whose maximum is that run's limit, and one compiled module serves
 * every limit. Only the memory section and the import section change; function indices do not.
 * Custom sections (function names, debug info) are dropped: nothing at run time reads them.
 */
export const MEMORY_IMPORT = { module: 'env', name: 'memory' } as const;

export async function loadSandboxModule(pythonWasmPath: string): Promise<WebAssembly.Module> {
  const bytes = await readFile(pythonWasmPath);
  return WebAssembly.compile(importMemory(new Uint8Array(bytes)));
}

export interface Section { id: number; start: number; end: number; contentStart: number }

export function importMemory(module: Uint8Array): Uint8Array {
  const sections = readSections(module);
  const memory = sections.find((s) => s.id === 5);
  const imports = sections.find((s) => s.id === 2);
  if (!memory || !imports) throw new Error('python.wasm has no memory or import section to rewrite');
  let at = memory.contentStart;
  const [count, afterCount] = readU32(module, at);
  if (count !== 1) throw new Error(`expected one memory, found ${count}`);
  at = afterCount;
  const flags = module[at]!;
  const [minPages] = readU32(module, at + 1);
  if (flags & ~1) throw new Error('shared or 64-bit memories are not supported');

  const [importCount, entriesStart] = readU32(module, imports.contentStart);
  const memoryImport = concat(
    name(MEMORY_IMPORT.module), name(MEMORY_IMPORT.name),
    Uint8Array.of(0x02, 0x00), u32(minPages), // kind memory, limits: minimum only
  );
  const importContent = concat(u32(importCount + 1), module.subarray(entriesStart, imports.end), memoryImport);
  const parts: Uint8Array[] = [module.subarray(0, 8)];
  for (const section of sections) {
    if (section.id === 5) continue; // the memory is now imported
    if (section.id === 0) continue; // names and debug info: ~12 MB that V8 would keep in memory
    if (section.id === 2) parts.push(Uint8Array.of(2), u32(importContent.length), importContent);
    else parts.push(module.subarray(section.start, section.end));
  }
  return concat(...parts);
}

export function readSections(module: Uint8Array): Section[] {
  const sections: Section[] = [];
  for (let at = 8; at < module.length;) {
    const id = module[at]!;
    const [size, contentStart] = readU32(module, at + 1);
    sections.push({ id, start: at, contentStart, end: contentStart + size });
    at = contentStart + size;
  }
  return sections;
}

export function readU32(bytes: Uint8Array, at: number): [number, number] {
  let result = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at++]!;
    result += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return [result, at];
  }
}

function u32(value: number): Uint8Array {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return Uint8Array.from(out);
}

function name(text: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  return concat(u32(bytes.length), bytes);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
