import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WasmForgeError } from '../../shared/errors.ts';

/** Where the build puts the worker, relative to the project (or the packaged app's app.asar). */
export const BUILT_WORKER = join('out', 'main', 'sandbox-worker.js');

/**
 * The file worker_threads loads: one self-contained ES module, built once (scripts/build-cli.js,
 * which the electron-vite build shares) and loaded by every mode. The desktop app finds it beside
 * its main bundle or one folder up from a chunk; the CLI's bundle (out/cli) and the sources the
 * tests run (src/sandbox/embedded) find it in the project's out/main. Nothing is bundled at run time.
 */
export function workerScript(from: string = dirname(fileURLToPath(import.meta.url))): string {
  const found = candidates(from).find((path) => existsSync(path));
  if (!found) {
    throw new WasmForgeError('ENGINE_UNAVAILABLE', `The sandbox worker is not built (${BUILT_WORKER} was not found)`, {
      hint: 'Run `npm ci` or `npm run build`, which build it.',
    });
  }
  return unpackedTwin(found) ?? found;
}

function candidates(from: string): string[] {
  const paths = [join(from, 'sandbox-worker.js'), join(from, '..', 'sandbox-worker.js')];
  for (let dir = from; ; dir = dirname(dir)) {
    paths.push(join(dir, BUILT_WORKER));
    if (dirname(dir) === dir) return paths;
  }
}

/**
 * The packaged app unpacks the worker (electron-builder.yml asarUnpack): worker_threads gets the
 * real file in app.asar.unpacked rather than a path inside the archive.
 */
export function unpackedTwin(path: string): string | undefined {
  const twin = path.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return twin !== path && existsSync(twin) ? twin : undefined;
}
