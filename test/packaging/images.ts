// Just enough of PNG, ICO and ICNS to check what electron-builder will be handed.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface Size { width: number; height: number }

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(bytes: Buffer): Size {
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export interface IcoEntry extends Size { format: 'png' | 'bmp'; bitCount: number; data: Buffer }

export function icoEntries(bytes: Buffer): IcoEntry[] {
  if (bytes.readUInt16LE(0) !== 0 || bytes.readUInt16LE(2) !== 1) throw new Error('not an ICO');
  return Array.from({ length: bytes.readUInt16LE(4) }, (_, index) => {
    const entry = 6 + 16 * index;
    const size = bytes.readUInt32LE(entry + 8);
    const offset = bytes.readUInt32LE(entry + 12);
    const data = bytes.subarray(offset, offset + size);
    const isPng = data.subarray(0, 8).equals(PNG_SIGNATURE);
    return {
      width: bytes.readUInt8(entry) || 256,
      height: bytes.readUInt8(entry + 1) || 256,
      bitCount: bytes.readUInt16LE(entry + 6),
      format: isPng ? 'png' : 'bmp',
      data,
    };
  });
}

/** RGBA of one pixel (x, y from the top left) of a 32-bit ICO bitmap entry. */
export function bmpPixel(entry: IcoEntry, x: number, y: number): [number, number, number, number] {
  const headerSize = entry.data.readUInt32LE(0);
  const width = entry.data.readInt32LE(4);
  const height = entry.data.readInt32LE(8) / 2; // colour rows + mask rows
  const row = height - 1 - y; // bottom-up
  const at = headerSize + (row * width + x) * 4;
  const [b, g, r, a] = entry.data.subarray(at, at + 4);
  return [r!, g!, b!, a!];
}

export interface IcnsElement { type: string; data: Buffer }

export function icnsElements(bytes: Buffer): IcnsElement[] {
  if (bytes.toString('latin1', 0, 4) !== 'icns' || bytes.readUInt32BE(4) !== bytes.length) throw new Error('not an ICNS');
  const elements: IcnsElement[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at + 4);
    if (length < 8 || at + length > bytes.length) throw new Error('ICNS element overruns the file');
    elements.push({ type: bytes.toString('latin1', at, at + 4), data: bytes.subarray(at + 8, at + length) });
    at += length;
  }
  return elements;
}
