import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Negative checks for the layer table in eslint.config.js: synthetic files that break each rule
// must be reported, so a rule cannot stop working unnoticed (a path renamed, a plugin that no
// longer resolves imports). The probes exist only in memory (ESLint's lintText); nothing is written to src/.

const root = fileURLToPath(new URL('../../', import.meta.url));
const LAYER_RULE = 'import-x/no-restricted-paths';
// The table itself, so that a layer added to it is probed too.
const config = (await import(pathToFileURL(join(root, 'eslint.config.js')).href)) as { LAYERS: Array<[string, string[]]> };
const layers = config.LAYERS;
const ISLANDS = ['src/renderer', 'src/preload'];

let eslint: ESLint;
/** One real production file per folder, for probes to import. */
const sample = new Map<string, string>();

beforeAll(async () => {
  eslint = new ESLint({ cwd: root });
  for (const folder of [...layers.flatMap(([, paths]) => paths), 'src/renderer/src', 'src/preload']) {
    const files = (await readdir(join(root, folder))).filter((file) => /^[^.]+\.tsx?$/.test(file) && !file.includes('.test.')).sort();
    if (!files[0]) throw new Error(`no source file in ${folder}`);
    sample.set(folder, join(folder, files[0]));
  }
  sample.set('src/renderer', sample.get('src/renderer/src')!);
});

/** The rule ids reported for `code` as if it were the file `file` (relative to the repository). */
async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

/** An import of `target` (a repository path) from a probe file in `folder`. */
function importOf(folder: string, target: string, typeOnly = false): string {
  let spec = relative(join(root, folder), join(root, target)).replaceAll('\\', '/');
  if (!spec.startsWith('.')) spec = `./${spec}`;
  return typeOnly ? `import type { Probe } from '${spec}';\nexport type Again = Probe;\n` : `import '${spec}';\n`;
}

const probeIn = (folder: string) => `${folder}/layer-probe.ts`;

describe('the layer table', () => {
  layers.forEach(([name, folders], index) => {
    const above = layers.slice(index + 1).flatMap(([, paths]) => paths).filter((path) => !folders.includes(path));
    for (const folder of folders) {
      it(`${name} (${folder}) may not import a layer above it, nor the renderer or the preload`, async () => {
        for (const target of [...above, ...ISLANDS]) {
          expect(await lint(probeIn(folder), importOf(folder, sample.get(target)!)), `${folder} → ${target}`).toContain(LAYER_RULE);
        }
      });

      it(`${name} (${folder}) may import its own layer and the ones below`, async () => {
        const allowed = layers.slice(0, index + 1).map(([, paths]) => paths.find((path) => path === folder) ?? paths[0]!);
        for (const target of allowed) {
          if (folder === 'src/marketplace/db' && target === 'src/marketplace') continue;
          expect(await lint(probeIn(folder), importOf(folder, sample.get(target)!)), `${folder} → ${target}`).not.toContain(LAYER_RULE);
        }
      });
    }
  });

  it('counts a type-only import upward as a violation', async () => {
    for (const [index, [, folders]] of layers.slice(0, -1).entries()) {
      const folder = folders[0]!;
      const target = sample.get(layers[index + 1]![1][0]!)!;
      expect(await lint(probeIn(folder), importOf(folder, target, true)), `${folder} → type from ${target}`).toContain(LAYER_RULE);
    }
  });

  it('keeps sibling transports apart (ipc and server)', async () => {
    expect(await lint(probeIn('src/ipc'), importOf('src/ipc', sample.get('src/server')!))).toContain(LAYER_RULE);
    expect(await lint(probeIn('src/server'), importOf('src/server', sample.get('src/ipc')!))).toContain(LAYER_RULE);
  });

  it('lets the renderer and the preload import only src/shared', async () => {
    for (const island of ['src/renderer/src', 'src/preload']) {
      for (const target of [...layers.flatMap(([, paths]) => paths).filter((path) => path !== 'src/shared'), ...ISLANDS]) {
        if (island.startsWith(target)) continue;
        expect(await lint(probeIn(island), importOf(island, sample.get(target)!)), `${island} → ${target}`).toContain(LAYER_RULE);
      }
      expect(await lint(probeIn(island), importOf(island, sample.get('src/shared')!))).not.toContain(LAYER_RULE);
    }
  });
});

describe('test code stays out of production code', () => {
  it('refuses vitest and test/ in src/, and allows them in a test beside the code', async () => {
    expect(await lint('src/app/layer-probe.ts', `import { vi } from 'vitest';\nvi.fn();\n`)).toContain(LAYER_RULE);
    expect(await lint('src/app/layer-probe.ts', importOf('src/app', 'test/support/postgres.ts'))).toContain(LAYER_RULE);
    expect(await lint('src/sandbox/layer-probe.tsx', importOf('src/sandbox', 'e2e/helpers/browser.ts'))).toContain(LAYER_RULE);
    expect(await lint('src/app/layer-probe.test.ts', `import { vi } from 'vitest';\nvi.fn();\n${importOf('src/app', 'test/support/postgres.ts')}`))
      .not.toContain(LAYER_RULE);
  });
});

describe('import cycles', () => {
  it('reports a module that imports, through another, the module itself', async () => {
    // test/lint/fixtures/cycle-partner.ts imports src/shared/run.ts; posing as run.ts, import it back.
    const back = `import { partner } from '../../test/lint/fixtures/cycle-partner.ts';\nexport const probe = partner;\n`;
    expect(await lint('src/shared/run.ts', back)).toContain('import-x/no-cycle');
    expect(await lint('src/shared/run.ts', 'export const probe = 1;\n')).not.toContain('import-x/no-cycle');
  });
});
