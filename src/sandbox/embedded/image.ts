/**
 * Memory images of a started interpreter, inside a worker thread. The interpreter is started once
 * and stopped at its first read of stdin (CPython's prompt loop, no Python frame on the stack):
 * Asyncify (python-asyncify.wasm) unwinds its stack into a page added for it, and the memory then
 * holds everything needed to go on from there. Each run gets a new instance whose memory is
 * overwritten byte for byte with the image; the stack pointer is set and the stack rewound.
 */
import { MEMORY_IMPORT } from './module.ts';
import type { GuestImage, SharedImage } from './messages.ts';
import { createWasiImports, type WasiHost } from './wasi.ts';

const PAGE = 65536;
/** An image is retaken after this long, whoever holds it: each freezes one string-hash seed. */
export const IMAGE_RENEW_AFTER_MS = 10 * 60_000;
const ASYNCIFY_UNWINDING = 1;
const ASYNCIFY_REWINDING = 2;

type WasiFunction = (...args: number[]) => number;

interface GuestExports {
  _start(): void;
  asyncify_start_unwind(data: number): void;
  asyncify_stop_unwind(): void;
  asyncify_start_rewind(data: number): void;
  asyncify_stop_rewind(): void;
  asyncify_get_state(): number;
  __stack_pointer: { value: number };
}

export interface Guest {
  exports: GuestExports;
  /** fd_read as the WASI layer answers it. */
  read: WasiFunction;
  /** What the guest's fd_read import calls: `read`, or a step of taking or resuming an image. */
  onRead: WasiFunction;
}

/** What every instance of a worker is made of. */
export interface GuestSource {
  module: WebAssembly.Module;
  argv: string[];
}

export function instantiate(source: GuestSource, memory: WebAssembly.Memory, host: WasiHost): Guest {
  const imports = createWasiImports(memory, source.argv, host);
  const read = imports.fd_read!;
  const guest = { read, onRead: read } as Guest;
  imports.fd_read = (...args) => guest.onRead(...args);
  const instance = new WebAssembly.Instance(source.module, {
    wasi_snapshot_preview1: imports,
    [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory },
  });
  guest.exports = instance.exports as unknown as GuestExports;
  return guest;
}

/** The module's data, for a module that came without its data section. */
export function writeSegments(memory: WebAssembly.Memory, image: GuestImage): void {
  const target = new Uint8Array(memory.buffer);
  const source = new Uint8Array(image.data);
  const table = new Uint32Array(image.segments);
  for (let at = 0; at < table.length; at += 3) {
    const [offset, start, length] = [table[at]!, table[at + 1]!, table[at + 2]!];
    target.set(source.subarray(start, start + length), offset);
  }
}

/** An image as a worker uses it: the shared one, viewed, and how many of this worker's runs it served. */
export interface Image {
  shared: SharedImage;
  bytes: Uint8Array;
  stackPointer: number;
  asyncifyData: number;
  takenAt: number;
  runs: number;
}

export function useImage(shared: SharedImage): Image {
  return { shared, bytes: new Uint8Array(shared.bytes), stackPointer: shared.stackPointer, asyncifyData: shared.asyncifyData, takenAt: shared.takenAt, runs: 0 };
}

/**
 * Starts an interpreter and stops it at its first read of stdin. Returns the image and the memory
 * it was taken from, which is of the image's size: the caller keeps it for the first guest rather
 * than leave 11 MB to a garbage collector that a worker blocked in Atomics.wait never runs.
 */
export function takeImage(source: GuestSource, recipe: GuestImage, maximumPages: number): { image: Image; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: recipe.pages, maximum: maximumPages });
  writeSegments(memory, recipe);
  let stderr = '';
  const guest = instantiate(source, memory, {
    readStdin: () => { throw new Error('the interpreter read stdin outside its prompt loop'); },
    writeStdout: () => undefined,
    writeStderr: (data) => { stderr = (stderr + new TextDecoder().decode(data)).slice(0, 2000); },
    sleep: () => undefined,
  });
  const { exports } = guest;
  let data = 0;
  guest.onRead = (fd, ...rest) => {
    if (fd !== 0) return guest.read(fd, ...rest);
    if (data) throw new Error('the interpreter went on reading while its stack was unwound');
    data = memory.grow(1) * PAGE;
    const view = new DataView(memory.buffer);
    view.setUint32(data, data + 8, true); // where Asyncify writes next, and where it must stop
    view.setUint32(data + 4, data + PAGE, true);
    exports.asyncify_start_unwind(data);
    return 0;
  };
  try {
    exports._start();
  } catch (error) {
    throw new Error(`the interpreter ended before its first read (${describeError(error)}) ${stderr}`.trim());
  }
  if (!data || exports.asyncify_get_state() !== ASYNCIFY_UNWINDING) throw new Error('the interpreter did not stop at its first read');
  exports.asyncify_stop_unwind();
  // Written once into shared memory: every worker of the engine resumes from these very bytes.
  const bytes = new SharedArrayBuffer(memory.buffer.byteLength);
  new Uint8Array(bytes).set(new Uint8Array(memory.buffer));
  const image = useImage({ bytes, stackPointer: exports.__stack_pointer.value, asyncifyData: data, takenAt: Date.now(), checked: false });
  return { image, memory };
}

/** Goes on from the image in `guest`, whose memory holds a copy of it; returns when the guest ends. */
export function resume(guest: Guest, image: Image): void {
  const { exports } = guest;
  exports.__stack_pointer.value = image.stackPointer;
  guest.onRead = (...args) => {
    if (exports.asyncify_get_state() === ASYNCIFY_REWINDING) exports.asyncify_stop_rewind();
    guest.onRead = guest.read;
    return guest.read(...args);
  };
  exports.asyncify_start_rewind(image.asyncifyData);
  exports._start();
}

/**
 * Memories of the image's size, kept for the next guest: allocating and faulting in 11 MB for each
 * run is what a pool saves. A memory that grew is dropped, never reused; each is overwritten whole.
 */
export class ImageMemories {
  private spare?: { memory: WebAssembly.Memory; maximum: number };
  private readonly maximums = new WeakMap<WebAssembly.Memory, number>();

  take(image: Image, maximumPages: number): WebAssembly.Memory {
    let memory = this.spare?.maximum === maximumPages ? this.spare.memory : undefined;
    this.spare = undefined;
    if (!memory) {
      memory = new WebAssembly.Memory({ initial: image.bytes.length / PAGE, maximum: maximumPages });
      this.maximums.set(memory, maximumPages);
    }
    new Uint8Array(memory.buffer).set(image.bytes);
    return memory;
  }

  /** Keeps a memory made elsewhere (the one an image was taken from), whose maximum is `maximumPages`. */
  adopt(memory: WebAssembly.Memory, maximumPages: number, image: Image): void {
    this.maximums.set(memory, maximumPages);
    this.giveBack(memory, image);
  }

  giveBack(memory: WebAssembly.Memory, image: Image): void {
    const maximum = this.maximums.get(memory);
    if (maximum !== undefined && memory.buffer.byteLength === image.bytes.length) this.spare = { memory, maximum };
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
