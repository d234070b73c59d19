// Whether `npm start` can open the desktop app, installing Electron's binary on first use.
// Electron 45 has no install script: node_modules/electron downloads its binary lazily (install.js,
// bin `install-electron`) the first time `require('electron')` runs. That installer ignores
// ELECTRON_SKIP_BINARY_DOWNLOAD and needs Node.js 22.12+, so both are checked here first, and every
// way of not getting a binary ends in a reason and a fix rather than a silent fallback.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** @electron/get, which install.js downloads with, declares this engine. */
export const INSTALLER_MIN_NODE = '22.12.0';

/**
 * The Electron executable, if one is installed: ELECTRON_EXEC_PATH (what electron-vite reads),
 * else node_modules/electron's path.txt under its dist/ (or ELECTRON_OVERRIDE_DIST_PATH, as
 * Electron's own index.js does). Never require('electron'): that would start a download.
 * @param {string} root
 * @param {NodeJS.ProcessEnv} env
 * @returns {string | undefined}
 */
export function electronBinary(root, env) {
  if (env.ELECTRON_EXEC_PATH) return existsSync(env.ELECTRON_EXEC_PATH) ? env.ELECTRON_EXEC_PATH : undefined;
  const pkg = join(root, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(env.ELECTRON_OVERRIDE_DIST_PATH || join(pkg, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

/**
 * Runs Electron's own installer with this Node; its output goes to the terminal. Returns its exit status.
 * @param {string} root
 * @returns {number}
 */
export function runElectronInstaller(root) {
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

/** @param {string | undefined} value */
function isSet(value) {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** @param {string} version @param {string} minimum */
export function atLeast(version, minimum) {
  const have = version.replace(/^v/, '').split('.').map(Number);
  const need = minimum.split('.').map(Number);
  for (let i = 0; i < need.length; i += 1) {
    if ((have[i] ?? 0) !== need[i]) return (have[i] ?? 0) > need[i];
  }
  return true;
}

/**
 * @typedef {{ binary: string } | { reason: string, fix: string }} DesktopPlan
 * @typedef {{ root: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform, nodeVersion: string,
 *   install?: (root: string) => number, log?: (line: string) => void }} PlanContext
 */

/**
 * The Electron binary to open the window with, installing it when there is none, or why not and how to fix it.
 * @param {PlanContext} context
 * @returns {DesktopPlan}
 */
export function planDesktop({ root, env, platform, nodeVersion, install = runElectronInstaller, log = console.log }) {
  // Without a display there is no window to open: no point in downloading 100 MB for it.
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)', fix: 'run npm start in a desktop session' };
  }
  const found = electronBinary(root, env);
  if (found) return { binary: found };
  if (env.ELECTRON_EXEC_PATH) {
    return { reason: `ELECTRON_EXEC_PATH names ${env.ELECTRON_EXEC_PATH}, which does not exist`, fix: 'unset ELECTRON_EXEC_PATH or point it at an Electron 45 executable' };
  }
  if (isSet(env.ELECTRON_SKIP_BINARY_DOWNLOAD)) {
    return { reason: 'no Electron binary is installed here and ELECTRON_SKIP_BINARY_DOWNLOAD is set', fix: 'unset ELECTRON_SKIP_BINARY_DOWNLOAD and run npm start again to download it (Node.js 22.12+)' };
  }
  if (!atLeast(nodeVersion, INSTALLER_MIN_NODE)) {
    return {
      reason: `no Electron binary is installed here, and Electron's installer needs Node.js ${INSTALLER_MIN_NODE} or newer (this is Node.js ${nodeVersion.replace(/^v/, '')})`,
      fix: 'install Node.js 22.12+ (for example `nvm install 22`) and run npm start again; the browser version and the CLI need only Node.js 20.19+',
    };
  }
  log('WasmForge: downloading the Electron binary (once, about 100 MB)…');
  const status = install(root);
  if (status !== 0) {
    return {
      reason: `no Electron binary is installed here, and downloading it failed (Electron's installer exited with ${status})`,
      fix: 'check the internet connection or proxy (HTTPS_PROXY, ELECTRON_MIRROR) and run npm start again; `node node_modules/electron/install.js` shows the installer\'s error alone',
    };
  }
  const installed = electronBinary(root, env);
  if (installed) return { binary: installed };
  return { reason: 'Electron\'s installer finished but left no binary in node_modules/electron/dist', fix: 'delete node_modules/electron and run npm ci, then npm start' };
}

/**
 * Ubuntu 24.04 restricts unprivileged user namespaces through AppArmor; Chromium's sandbox then
 * needs the setuid chrome-sandbox helper, which an npm-installed Electron (and an AppImage) lacks,
 * so Electron aborts at start. Returns what to do, or undefined when this does not apply.
 * @param {string} binary
 * @param {NodeJS.Platform} platform
 * @param {(path: string) => string} [read]
 * @param {(path: string) => { uid: number, mode: number }} [stat]
 * @returns {string | undefined}
 */
export function appArmorHint(binary, platform, read = (path) => readFileSync(path, 'utf8'), stat = statSync) {
  if (platform !== 'linux') return undefined;
  try {
    if (read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns').trim() !== '1') return undefined;
  } catch {
    return undefined;
  }
  const helper = join(dirname(binary), 'chrome-sandbox');
  try {
    const { uid, mode } = stat(helper);
    if (uid === 0 && (mode & 0o4000) !== 0) return undefined; // setuid root: the sandbox works
  } catch {
    // no helper: the restriction applies
  }
  return 'AppArmor restricts unprivileged user namespaces here (Ubuntu 24.04 and later), so Electron\'s sandbox cannot start. '
    + `Make its helper setuid root: sudo chown root:root ${helper} && sudo chmod 4755 ${helper} `
    + '(or, for this session only: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0). Never run the app with --no-sandbox.';
}

