import { createHash } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { SharedImage } from './messages.ts';

/**
 * A memory image kept on disk between processes, <dataHome>/cache/embedded/python-image.bin, so
 * that a one-shot run (`wasmforge run`, `wasmforge test`) resumes one instead of starting CPython,
 * which is most of its time. The image is only as good as what it was taken from: its key covers the
 * interpreter's command line (the SDK and the runner are in it) and both module files as they are
 * on disk, so an update or a rebuild gives another key. A worker still tries each image once
 * before any run relies on it. An image older than the engine renews its images after is not used
 * (each freezes one string-hash seed); the next one taken replaces the file.
 */
export class ImageCache {
  private constructor(readonly path: string, private readonly key: string) {}

  static async open(dataHome: string, argv: string[], moduleFiles: string[]): Promise<ImageCache> {
    const files = await Promise.all(moduleFiles.map(async (file) => {
      const { size, mtimeMs, ino } = await stat(file);
      return { file, size, mtimeMs, ino };
    }));
    const key = createHash('sha256').update(JSON.stringify({ format: FORMAT, argv, files })).digest('hex');
    return new ImageCache(join(dataHome, 'cache', 'embedded', 'python-image.bin'), key);
  }

  /** The image on disk for this key when it is younger than `maxAgeMs`; undefined otherwise (missing, other key, damaged). */
  async read(maxAgeMs: number): Promise<SharedImage | undefined> {
    const file = await open(this.path, 'r').catch(() => undefined);
    if (!file) return undefined;
    try {
      const head = new Uint8Array(HEADER_BYTES);
      await file.read(head, 0, HEADER_BYTES, 0);
      const header = parseHeader(head);
      if (!header || header.key !== this.key || Date.now() - header.takenAt >= maxAgeMs || header.takenAt > Date.now()) return undefined;
      if ((await file.stat()).size !== HEADER_BYTES + header.length) return undefined;
      // Straight into shared memory: the workers resume from these bytes, no copy made.
      const bytes = new SharedArrayBuffer(header.length);
      const { bytesRead } = await file.read(new Uint8Array(bytes), 0, header.length, HEADER_BYTES);
      if (bytesRead !== header.length) return undefined;
      return { bytes, stackPointer: header.stackPointer, asyncifyData: header.asyncifyData, takenAt: header.takenAt, checked: false };
    } finally {
      await file.close();
    }
  }

  /** Replaces the file whole (a temporary file renamed), readable by this user only. */
  async write(image: SharedImage): Promise<void> {
    const { bytes, stackPointer, asyncifyData, takenAt } = image;
    const header = new TextEncoder().encode(JSON.stringify({ magic: MAGIC, key: this.key, stackPointer, asyncifyData, takenAt, length: bytes.byteLength }));
    if (header.length > HEADER_BYTES) throw new Error('image header too long');
    const padded = new Uint8Array(HEADER_BYTES).fill(0x20);
    padded.set(header);
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await this.removeAbandonedFiles();
    const temporary = `${this.path}.${process.pid}.${Date.now()}.tmp`;
    try {
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.write(padded);
        await file.write(new Uint8Array(bytes));
      } finally {
        await file.close();
      }
      await rename(temporary, this.path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Temporary files of writers that died before their rename (11 MB each); a live writer's is minutes younger. */
  private async removeAbandonedFiles(): Promise<void> {
    const dir = dirname(this.path);
    const prefix = `${basename(this.path)}.`;
    for (const name of await readdir(dir)) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      const modified = await stat(join(dir, name)).then((info) => info.mtimeMs, () => Date.now());
      if (Date.now() - modified > ABANDONED_AFTER_MS) await rm(join(dir, name), { force: true });
    }
  }
}

const ABANDONED_AFTER_MS = 10 * 60_000;
const FORMAT = 1;
const MAGIC = 'wasmforge python image';
const HEADER_BYTES = 4096;
const WASM_PAGE = 65536;

interface Header { key: string; stackPointer: number; asyncifyData: number; takenAt: number; length: number }

function parseHeader(head: Uint8Array): Header | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(head).trimEnd()) as Partial<Header> & { magic?: string };
    const numbers = [parsed.stackPointer, parsed.asyncifyData, parsed.takenAt, parsed.length];
    if (parsed.magic !== MAGIC || typeof parsed.key !== 'string' || !numbers.every((n) => Number.isSafeInteger(n) && n! >= 0)) return undefined;
    if (parsed.length! === 0 || parsed.length! % WASM_PAGE !== 0) return undefined;
    return parsed as Header;
  } catch {
    return undefined;
  }
}
