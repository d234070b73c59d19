import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bmpPixel, icnsElements, icoEntries, pngSize } from './images.ts';
import { PROJECT_DIR } from './builder-config.ts';

const BUILD = join(PROJECT_DIR, 'build');
const read = (name: string): Buffer => readFileSync(join(BUILD, name));

describe('icons made from build/icon.svg', () => {
  it('has a 1024 px PNG for macOS and as the fallback', () => {
    expect(pngSize(read('icon.png'))).toEqual({ width: 1024, height: 1024 });
  });

  it('has one PNG per size for Linux, each named after its real size', () => {
    const files = readdirSync(join(BUILD, 'icons')).sort();
    expect(files).toEqual(expect.arrayContaining(['16x16.png', '32x32.png', '48x48.png', '128x128.png', '256x256.png', '512x512.png']));
    for (const file of files) {
      const [width, height] = file.replace('.png', '').split('x').map(Number);
      expect(pngSize(read(join('icons', file))), file).toEqual({ width, height });
    }
  });

  it('has a Windows ICO with 16 to 256 px: 32-bit bitmaps below 256, PNG at 256', () => {
    const entries = icoEntries(read('icon.ico'));
    expect(entries.map((entry) => entry.width)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const entry of entries) {
      expect(entry.height).toBe(entry.width);
      expect(entry.bitCount).toBe(32);
      expect(entry.format).toBe(entry.width === 256 ? 'png' : 'bmp');
    }
    expect(pngSize(entries.at(-1)!.data)).toEqual({ width: 256, height: 256 });
  });

  it('stores the ICO bitmaps the right way up, with transparent corners', () => {
    const icon32 = icoEntries(read('icon.ico')).find((entry) => entry.width === 32)!;
    expect(bmpPixel(icon32, 0, 0)[3]).toBe(0); // outside the rounded square
    const [sparkR, , sparkB] = bmpPixel(icon32, 16, 9); // the orange spark sits at the top
    expect(sparkR).toBeGreaterThan(200);
    expect(sparkB).toBeLessThan(120);
    expect(Math.min(...bmpPixel(icon32, 16, 16).slice(0, 3))).toBeGreaterThan(230); // the white W's middle
    const [bodyR, , bodyB, bodyA] = bmpPixel(icon32, 16, 28); // purple body below the W
    expect(bodyB).toBeGreaterThan(bodyR);
    expect(bodyA).toBe(255);
  });

  it('has a macOS ICNS whose PNG elements each have the size their type requires', () => {
    const expected: Record<string, number> = {
      icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024, ic11: 32, ic12: 64, ic13: 256, ic14: 512,
    };
    const elements = icnsElements(read('icon.icns'));
    expect(elements.map((element) => element.type).sort()).toEqual(Object.keys(expected).sort());
    for (const element of elements) {
      const size = expected[element.type]!;
      expect(pngSize(element.data), element.type).toEqual({ width: size, height: size });
    }
  });
});
