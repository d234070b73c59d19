import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every file the worker bundle holds (relative to src/sandbox): the bundle is cached by their content. */
export const WORKER_SOURCES = ['embedded/worker.ts', 'embedded/wasi.ts', 'embedded/module.ts', 'embedded/messages.ts', 'stdout-budget.ts', 'protocol.ts'];
let fromSource: string | undefined;

/**
 * The file worker_threads loads. The built app ships it bundled (out/main/sandbox-worker.js, an
 * electron-vite entry, beside the main bundle or one folder up from a chunk). Run from source (the
 * CLI, the tests), it is bundled once with esbuild into a content-addressed file, so every mode
 * runs the same plain-JavaScript worker: no TypeScript loader inside the sandbox thread.
 */
export function workerScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = [join(here, 'sandbox-worker.js'), join(here, '..', 'sandbox-worker.js')].find((path) => existsSync(path));
  if (built) return unpackedTwin(built) ?? built;
  fromSource ??= bundleFromSource(here);
  return fromSource;
}

/**
 * The packaged app unpacks the worker (electron-builder.yml asarUnpack): worker_threads gets the
 * real file in app.asar.unpacked rather than a path inside the archive.
 */
export function unpackedTwin(path: string): string | undefined {
  const twin = path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return twin !== path && existsSync(twin) ? twin : undefined;
}

function bundleFromSource(sourceDir: string): string {
  const hash = createHash('sha256');
  for (const file of WORKER_SOURCES) hash.update(readFileSync(join(sourceDir, '..', file)));
  const target = join(tmpdir(), 'wasmforge-worker', `sandbox-worker-${hash.digest('hex').slice(0, 16)}.mjs`);
  if (existsSync(target)) return target;
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const { outputFiles } = esbuild.buildSync({
    entryPoints: [join(sourceDir, 'worker.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false,
  });
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, outputFiles[0]!.contents);
  renameSync(temporary, target); // atomic: processes bundling at the same time never see half a file
  return target;
}
