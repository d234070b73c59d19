import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBuilt, MAIN_OUT, relativeImports } from './runtime-deps.ts';

// The built split of issue #11: the window-owning main bundle loads none of the backend's heavy
// parts (it would start them, and freeze, in the process that owns the windows), and the backend
// entry, which runs in a utility process, never imports electron's main-process API.
const BARE_IMPORT = /(?:^|[;\s])(?:import|export)\s*(?:[^'"]*?\s+from\s*)?["']([^./"'][^"']*)["']|import\(\s*["']([^./"'][^"']*)["']\s*\)/g;

/** Every package a built entry loads, following its chunks. */
function packagesLoadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(BARE_IMPORT)) packages.add((match[1] ?? match[2])!);
    for (const chunk of relativeImports(file)) visit(join(dirname(file), chunk));
  };
  visit(entry);
  return packages;
}

describe.skipIf(!isBuilt())('the built main and backend bundles (needs npm run build)', () => {
  it('main loads no database, Ollama client or sandbox; the backend does', () => {
    const main = packagesLoadedBy(join(MAIN_OUT, 'index.js'));
    const backend = packagesLoadedBy(join(MAIN_OUT, 'backend.js'));
    for (const heavy of ['@electric-sql/pglite', 'pg', 'ollama']) {
      expect(main.has(heavy), heavy).toBe(false);
      expect(backend.has(heavy), heavy).toBe(true);
    }
    expect(main.has('electron')).toBe(true);
    expect(backend.has('electron')).toBe(false);
  });
});
