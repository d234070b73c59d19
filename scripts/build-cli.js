// Builds what `wasmforge` runs: the CLI as plain JavaScript in out/cli/ (one small entry, each
// command a chunk loaded when it is called) and the sandbox worker, out/main/sandbox-worker.js, the
// one file worker_threads loads in every mode (CLI, serve, the desktop app, the tests). No
// TypeScript loader and no bundler run when the CLI does: esbuild (a devDependency) runs here, at
// `npm ci` (postinstall), `npm run build`, before the tests, or when bin/wasmforge.js finds the
// bundle older than its sources.
//   node scripts/build-cli.js             build now
//   node scripts/build-cli.js --if-stale  build only when missing or out of date
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIR = join(REPO_ROOT, 'out', 'cli');
export const CLI_ENTRY = join(CLI_DIR, 'index.js');
export const WORKER_FILE = join(REPO_ROOT, 'out', 'main', 'sandbox-worker.js');
/** The inputs of the last build with their mtimes: a change to any of them makes the build stale. */
const STAMP = join(CLI_DIR, 'build.json');
const SELF = fileURLToPath(import.meta.url);
/** Chunks of earlier builds are kept this long, for a process that started from one and loads a command late. */
const OLD_CHUNK_GRACE_MS = 60 * 60 * 1000;

/** The sandbox worker as one self-contained ES module (the electron-vite build emits it with this too). */
export const WORKER_BUILD = {
  entryPoints: [join(REPO_ROOT, 'src', 'sandbox', 'embedded', 'worker.ts')],
  bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
};

/** Writes the worker to `outfile`; returns the files it was made of. */
export async function buildSandboxWorker(outfile = WORKER_FILE) {
  const { build } = await import('esbuild');
  const { outputFiles, metafile } = await build({ ...WORKER_BUILD, write: false, metafile: true, absWorkingDir: REPO_ROOT });
  writeAtomically(outfile, outputFiles[0].contents);
  return Object.keys(metafile.inputs);
}

/**
 * Packages loaded from node_modules as they are: PGlite finds its WebAssembly and data files beside
 * its own module, and pg-native is an optional part of pg that is usually not installed.
 */
const KEPT_EXTERNAL = ['@electric-sql/pglite', 'pg-native'];
/** Bundled CommonJS packages call require() for Node's own modules. */
const REQUIRE_SHIM = "import { createRequire as __wfCreateRequire } from 'node:module'; const require = __wfCreateRequire(import.meta.url);";

/**
 * The CLI with the packages it uses in a few files (resolving hundreds of small package files
 * is much of a cold start), split so that `--help` loads the entry and commander only and each
 * command its own chunks.
 */
async function buildCliBundle() {
  const { build } = await import('esbuild');
  const { outputFiles, metafile } = await build({
    entryPoints: { index: join(REPO_ROOT, 'src', 'cli', 'index.ts') }, outdir: CLI_DIR, chunkNames: 'chunks/[name]-[hash]',
    bundle: true, splitting: true, external: KEPT_EXTERNAL, platform: 'node', format: 'esm', target: 'node20',
    banner: { js: REQUIRE_SHIM }, write: false, metafile: true, absWorkingDir: REPO_ROOT, logLevel: 'warning',
  });
  // Chunks first, the entry last: a process starting meanwhile never loads an entry whose chunks are missing.
  const entryFirst = (file) => (file.path === CLI_ENTRY ? 1 : 0);
  for (const file of [...outputFiles].sort((a, b) => entryFirst(a) - entryFirst(b))) writeAtomically(file.path, file.contents);
  pruneOldChunks(new Set(outputFiles.map((file) => file.path)));
  // What each output holds and loads: test/cli/bundle.test.ts checks what `--help` loads.
  writeAtomically(join(CLI_DIR, 'meta.json'), JSON.stringify(metafile));
  return Object.keys(metafile.inputs);
}

/** Builds the worker, then the CLI (the worker still builds when a command does not), then records what they were built from. */
export async function buildCli() {
  const started = Date.now();
  const built = [...(await buildSandboxWorker()), ...(await buildCliBundle())].filter((input) => !input.startsWith('node_modules/'));
  // The packages bundled change only with the lockfile (npm ci), which is one file to check, not hundreds.
  const inputs = [...new Set([...built, relative(REPO_ROOT, SELF), 'package-lock.json'])].sort();
  writeAtomically(STAMP, JSON.stringify({ inputs: recordInputs(inputs, started) }, null, 1));
}

/**
 * Each input's modification time as the build saw it. A file saved while the build ran may not be
 * in it: recorded as unseen (0), so the next check rebuilds. One that does not exist (no lockfile,
 * say) is recorded as such (null), so its absence is no change.
 */
export function recordInputs(inputs, started) {
  return Object.fromEntries(inputs.map((input) => {
    const mtimeMs = mtimeOf(join(REPO_ROOT, input)) ?? null;
    return [input, mtimeMs === null || mtimeMs < started ? mtimeMs : 0];
  }));
}

/** The first input whose modification time is not the recorded one, if any. */
export function changedInput(recorded) {
  return Object.keys(recorded).find((input) => (mtimeOf(join(REPO_ROOT, input)) ?? null) !== recorded[input]);
}

/**
 * Why the built CLI cannot be used as it is (missing, or a source changed since), or undefined
 * when it is current. Cheap enough for every start: one small JSON file and a stat per source.
 */
export function cliStaleness() {
  if (!existsSync(CLI_ENTRY) || !existsSync(STAMP)) return 'the CLI is not built yet';
  if (!existsSync(WORKER_FILE)) return 'the sandbox worker (out/main/sandbox-worker.js) is missing';
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(STAMP, 'utf8')).inputs;
  } catch {
    return 'its build record (out/cli/build.json) cannot be read';
  }
  const changed = changedInput(inputs);
  return changed ? `${changed} changed since it was built` : undefined;
}

/** Builds unless current; says why on stderr when it does. Returns whether it built. */
export async function buildCliIfStale(say = (message) => process.stderr.write(`${message}\n`)) {
  const reason = cliStaleness();
  if (!reason) return false;
  say(`wasmforge: building the CLI (${reason})…`);
  await buildCli();
  return true;
}

/** Whole milliseconds: a time set back with utimes (seconds as a double) reads back the same. */
function mtimeOf(path) {
  try {
    return Math.floor(statSync(path).mtimeMs);
  } catch {
    return undefined;
  }
}

/** Temporary file, then rename: a process loading the file never sees half of it. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

function pruneOldChunks(current) {
  const dir = join(CLI_DIR, 'chunks');
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const path = join(dir, name);
    const mtimeMs = mtimeOf(path);
    if (!current.has(path) && mtimeMs !== undefined && Date.now() - mtimeMs > OLD_CHUNK_GRACE_MS) rmSync(path, { force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === SELF) {
  try {
    if (process.argv.includes('--if-stale')) await buildCliIfStale();
    else await buildCli();
  } catch (error) {
    // Installed without devDependencies (npm ci --omit=dev): the install goes on; the CLI says what to do.
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    console.warn('The CLI is not built: esbuild is not installed (a devDependency). `npm ci` installs it and builds the CLI.');
  }
}
