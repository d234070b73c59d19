#!/usr/bin/env node
// Renders build/icon.svg into every icon electron-builder needs: build/icon.png (1024 px, macOS and
// the fallback), build/icons/NxN.png (Linux), build/icon.ico (Windows) and build/icon.icns (macOS).
// It uses only what the project already has: Chromium (through playwright-core) draws the SVG on a
// canvas at each size, and the ICO/ICNS containers are written here. The outputs are committed, so
// packaging never needs this script; run it again after changing the SVG:
//   node build/make-icons.mjs            (CHROMIUM_PATH overrides /usr/bin/chromium)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BUILD_DIR = dirname(fileURLToPath(import.meta.url));
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS element types holding PNG data, by the pixel size each one must have.
const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['icp6', 64], ['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024],
  ['ic11', 32], ['ic12', 64], ['ic13', 256], ['ic14', 512],
];
const ALL_SIZES = [...new Set([...LINUX_SIZES, ...ICO_SIZES, 1024])].sort((a, b) => a - b);

/** Draws the SVG at each size in Chromium; returns PNG bytes and raw RGBA (for the ICO's bitmaps). */
async function render(svg, sizes) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    const rendered = await page.evaluate(drawInPage, { svg, sizes });
    return new Map(rendered.map(({ size, png, rgba }) => [size, { png: Buffer.from(png, 'base64'), rgba: Buffer.from(rgba, 'base64') }]));
  } finally {
    await browser.close();
  }
}

/* global document, Image */
// Runs inside the page. Chromium rasterises an SVG image at the size it is drawn, so small icons
// are drawn from the vector, not scaled down from a big bitmap.
async function drawInPage({ svg, sizes }) {
  const image = new Image();
  image.src = `data:image/svg+xml;base64,${btoa(svg)}`;
  await image.decode();
  const toBase64 = (bytes) => {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  };
  return sizes.map((size) => {
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0, size, size);
    const rgba = size <= 256 ? toBase64(context.getImageData(0, 0, size, size).data) : '';
    return { size, png: canvas.toDataURL('image/png').split(',')[1], rgba };
  });
}

/**
 * ICO with 32-bit bitmaps below 256 px (every Windows tool and NSIS reads those) and a PNG at
 * 256 px (the only size where Windows expects PNG).
 */
export function encodeIco(images) {
  const sizes = [...images.keys()].sort((a, b) => a - b);
  const payloads = sizes.map((size) => (size >= 256 ? images.get(size).png : bitmapEntry(size, images.get(size).rgba)));
  const header = Buffer.alloc(6 + 16 * sizes.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(sizes.length, 4);
  let offset = header.length;
  sizes.forEach((size, index) => {
    const entry = 6 + 16 * index;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(payloads[index].length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += payloads[index].length;
  });
  return Buffer.concat([header, ...payloads]);
}

/** BITMAPINFOHEADER + bottom-up BGRA pixels + the 1-bit AND mask (set where fully transparent). */
function bitmapEntry(size, rgba) {
  const maskStride = Math.ceil(size / 32) * 4;
  const info = Buffer.alloc(40);
  info.writeUInt32LE(40, 0);
  info.writeInt32LE(size, 4);
  info.writeInt32LE(size * 2, 8); // colour rows + mask rows
  info.writeUInt16LE(1, 12);
  info.writeUInt16LE(32, 14);
  info.writeUInt32LE(size * size * 4 + maskStride * size, 20);
  const pixels = Buffer.alloc(size * size * 4);
  const mask = Buffer.alloc(maskStride * size);
  for (let y = 0; y < size; y++) {
    const row = size - 1 - y;
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * 4;
      const to = (row * size + x) * 4;
      pixels[to] = rgba[from + 2];
      pixels[to + 1] = rgba[from + 1];
      pixels[to + 2] = rgba[from];
      pixels[to + 3] = rgba[from + 3];
      if (rgba[from + 3] === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return Buffer.concat([info, pixels, mask]);
}

/** ICNS made of PNG elements only (macOS 10.7 and later read them all). */
export function encodeIcns(pngBySize) {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(8 + elements.reduce((sum, element) => sum + element.length, 0), 4);
  return Buffer.concat([head, ...elements]);
}

async function main() {
  const svg = readFileSync(join(BUILD_DIR, 'icon.svg'), 'utf8');
  const images = await render(svg, ALL_SIZES);
  mkdirSync(join(BUILD_DIR, 'icons'), { recursive: true });
  for (const size of LINUX_SIZES) writeFileSync(join(BUILD_DIR, 'icons', `${size}x${size}.png`), images.get(size).png);
  writeFileSync(join(BUILD_DIR, 'icon.png'), images.get(1024).png);
  writeFileSync(join(BUILD_DIR, 'icon.ico'), encodeIco(new Map(ICO_SIZES.map((size) => [size, images.get(size)]))));
  writeFileSync(join(BUILD_DIR, 'icon.icns'), encodeIcns(new Map([...images].map(([size, image]) => [size, image.png]))));
  console.log(`icons written to ${BUILD_DIR}: icon.png, icon.ico, icon.icns, icons/{${LINUX_SIZES.map((s) => `${s}x${s}`).join(',')}}.png`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
