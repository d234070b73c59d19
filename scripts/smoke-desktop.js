#!/usr/bin/env node
// `npm run smoke:desktop`: the real desktop app, end to end, for anyone with a display. It builds the
// app, starts Electron with WASMFORGE_SMOKE_OUT (src/main/smoke.ts: a fresh data folder, hello-world
// run from the page through the real IPC and main's relay into the backend utility process, a
// screenshot, then a normal quit) and checks what came out.
// Exit 0 when it passed, or when no Electron binary can be had here (it says why: a skip, not a pass);
// 1 with the reason otherwise. Output: test-results/smoke-desktop/ (window.png, result.json).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appArmorHint, planDesktop } from './electron-binary.js';
import { nodeTool, REPO_ROOT as root } from './tools.js';

const OUT = join(root, 'test-results', 'smoke-desktop');
const TIMEOUT_MS = 180_000;

function fail(reason, hint) {
  console.log(`smoke:desktop: FAILED: ${reason}`);
  if (hint) console.log(`smoke:desktop: ${hint}`);
  process.exit(1);
}

const plan = planDesktop({ root, env: process.env, platform: process.platform, nodeVersion: process.version });
if (!('binary' in plan)) {
  console.log(`smoke:desktop: SKIPPED (not run, not passed): ${plan.reason}. To run it: ${plan.fix}.`);
  process.exit(0);
}

const built = spawnSync(...nodeTool('electron-vite', undefined, ['build']), { cwd: root, stdio: 'inherit' });
if (built.status !== 0) fail('electron-vite build failed');
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const started = Date.now();
const electron = spawn(plan.binary, [root], {
  cwd: root, stdio: 'inherit', env: { ...process.env, WASMFORGE_SMOKE_OUT: OUT, WASMFORGE_AI: 'test', ELECTRON_RENDERER_URL: '' },
});
const timer = setTimeout(() => {
  electron.kill('SIGKILL');
  fail(`the app did not quit within ${TIMEOUT_MS / 1000} s`, appArmorHint(plan.binary, process.platform));
}, TIMEOUT_MS);
electron.on('error', (error) => fail(`Electron could not start: ${error.message}`, appArmorHint(plan.binary, process.platform)));
electron.on('exit', (code, signal) => {
  clearTimeout(timer);
  const resultFile = join(OUT, 'result.json');
  if (!existsSync(resultFile)) fail(`the app exited (${signal ?? `code ${code}`}) without a result`, appArmorHint(plan.binary, process.platform));
  const result = JSON.parse(readFileSync(resultFile, 'utf8'));
  if (result.output === 'hello, smoke' && !(result.backendPid > 0 && result.backendPid !== result.mainPid)) {
    fail(`hello-world came back, but not from the backend process (main pid ${result.mainPid}, backend pid ${result.backendPid})`);
  }
  if (!result.ok) fail(`hello-world did not come back over IPC: ${JSON.stringify(result.answer).slice(0, 500)}`);
  if (code !== 0) fail(`the app ran the plugin but quit with ${signal ?? `code ${code}`}`);
  console.log(`smoke:desktop: PASSED: window opened, "${result.output}" came back over IPC from the backend process (pid ${result.backendPid}) in ${result.ms} ms, `
    + `quit cleanly after ${((Date.now() - started) / 1000).toFixed(1)} s; screenshot ${result.screenshot}`);
});
