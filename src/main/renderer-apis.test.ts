import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Electron does not implement window.prompt (it returns null at once, with a console error): a
// renderer that asks with it silently does nothing in the desktop app. The UI asks in dialogs of its own.
const RENDERER = join(import.meta.dirname, '..', 'renderer', 'src');
const UNSUPPORTED = /\b(?:window\.)?prompt\s*\(/;

describe('the renderer uses only what Electron’s pages have', () => {
  it('never calls window.prompt', () => {
    expect(UNSUPPORTED.test("const reason = window.prompt('Reason:')")).toBe(true);
    const offenders = readdirSync(RENDERER, { recursive: true })
      .map(String)
      .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.test.ts'))
      .filter((file) => UNSUPPORTED.test(readFileSync(join(RENDERER, file), 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')));
    expect(offenders).toEqual([]);
  });
});
