#!/usr/bin/env node
// `npm start`: the desktop app when an Electron binary is here (electron-vite preview, or dev with
// --dev); otherwise the same app in the browser through `wasmforge serve`, saying why.
// Extra arguments go to `wasmforge serve` (e.g. `npm start -- --port 5000 --ai test`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const dev = args.includes('--dev');
const serveArgs = args.filter((arg) => arg !== '--dev');

/** Looks for the binary without require('electron'), which would try to download it. */
function electronBinary() {
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkg, 'dist');
  const binary = join(dist, relative);
  return existsSync(binary) ? binary : undefined;
}

function whyNotDesktop() {
  if (!electronBinary()) return 'no Electron binary is installed here (node_modules/electron has no dist/)';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  return undefined;
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const reason = whyNotDesktop();
if (!reason) {
  run('npx', ['electron-vite', dev ? 'dev' : 'preview']);
} else {
  console.log(`WasmForge: starting the browser version, because ${reason}.`);
  console.log('The same app (Builder, Runner, API) is served on this machine; open the URL below.\n');
  if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    console.log('Building the UI first (electron-vite build)…');
    const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  run(process.execPath, [join(root, 'bin', 'wasmforge.js'), 'serve', ...serveArgs]);
}
