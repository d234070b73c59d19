#!/usr/bin/env node
// `npm start`: the desktop app (electron-vite preview, or dev with --dev), installing Electron's
// binary on first use; otherwise the same app in the browser through `wasmforge serve`, saying why
// and how to get the window. Extra arguments go to `wasmforge serve` (e.g. `npm start -- --port 5000 --ai test`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { appArmorHint, planDesktop } from './electron-binary.js';
import { nodeTool, REPO_ROOT as root } from './tools.js';

const args = process.argv.slice(2);
const dev = args.includes('--dev');
const serveArgs = args.filter((arg) => arg !== '--dev');

/** Runs a child in the foreground: signals go to it, its exit is ours, and a failed start is said plainly. */
function run(command, commandArgs, env = process.env, onFailure = () => undefined) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`WasmForge: could not start ${commandArgs[0] ?? command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (code !== 0) onFailure();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

function startBrowser(reason, fix) {
  console.log(`WasmForge: starting the browser version, because ${reason}.`);
  console.log(`For the desktop window: ${fix}.`);
  console.log('The same app (Builder, Runner, API) is served on this machine; open the URL below.');
  // Not the desktop window's folder: say so, or plugins made in one seem lost in the other.
  // The variable is named as the reason only when it is set; otherwise as the way to choose another folder.
  const home = process.env.WASMFORGE_HOME ? `${process.env.WASMFORGE_HOME} (WASMFORGE_HOME)` : `${join(homedir(), '.wasmforge')} (set WASMFORGE_HOME to use another folder)`;
  console.log(`Its plugins and settings are kept in ${home}, `
    + 'the same as the wasmforge command\'s; the desktop window keeps its own in Electron\'s user data folder.\n');
  if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    console.log('Building the UI first (electron-vite build)…');
    const built = spawnSync(...nodeTool('electron-vite', undefined, ['build']), { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) process.exit(built.status ?? 1);
  }
  run(process.execPath, [join(root, 'bin', 'wasmforge.js'), 'serve', ...serveArgs]);
}

const plan = planDesktop({ root, env: process.env, platform: process.platform, nodeVersion: process.version });
if ('binary' in plan) {
  // electron-vite reads ELECTRON_EXEC_PATH; without it, it would require('electron'), which downloads.
  const hint = appArmorHint(plan.binary, process.platform);
  if (hint) console.log(`WasmForge: ${hint}`);
  run(...nodeTool('electron-vite', undefined, [dev ? 'dev' : 'preview']), { ...process.env, ELECTRON_EXEC_PATH: plan.binary }, () => {
    if (hint) console.log(`WasmForge: Electron stopped; if it aborted at start, this is the likely cause: ${hint}`);
  });
} else {
  startBrowser(plan.reason, plan.fix);
}
