import { app, dialog, shell, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { logsFolder, openLog, type AppLog } from '../log/log.ts';
import { APP_ORIGIN, isOnOrigin, registerAppScheme, serveRenderer } from './app-protocol.ts';
import { BackendHost } from './backend-host.ts';
import { BackendRelay } from './backend-relay.ts';
import { deepLinkIn, hashFor, registerDeepLinks, type DeepLink } from './deep-link.ts';
import { electronIpcTransport } from './ipc-transport.ts';
import { logProcessCrashes } from './process-watch.ts';
import { quitAfterCleanup } from './quit.ts';
import { runSmoke, SMOKE_OUT_ENV } from './smoke.ts';
import { enforceContentSecurityPolicy, hardenWebContents } from './security.ts';
import { shellActions } from './shell-actions.ts';
import { createMainWindow } from './window.ts';

// Thin shell: windows, security, the log and the relay to the backend process (src/backend), which
// serves the API; nothing here opens a database or runs a plugin, so the windows never freeze.
const here = import.meta.dirname;
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
// `npm run smoke:desktop`: a fresh data folder inside the smoke output, set before anything reads it.
const smokeOut = process.env[SMOKE_OUT_ENV];
if (smokeOut) app.setPath('userData', join(smokeOut, 'user-data'));
let mainWindow: BrowserWindow | undefined;
let backend: BackendHost | undefined;
let windowsRelay: BackendRelay | undefined;
/** A wasmforge:// link that came before the window: its page is where the window opens. */
let pendingLink: DeepLink | undefined = deepLinkIn(process.argv);
let log: AppLog | undefined;

/** The built entry beside this file; from the sources (tests, whose stand-in runs TypeScript), src/backend. */
function backendEntry(): string {
  const built = join(here, 'backend.js');
  return existsSync(built) ? built : join(here, '..', 'backend', 'index.ts');
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const mainLog = (log = await openLog({ home: userData, process: 'main' }));
  logProcessCrashes(app, mainLog);
  mainLog.info('starting', { version: app.getVersion?.(), electron: process.versions.electron });
  if (!devServerUrl) serveRenderer(join(here, '../renderer'));
  hardenWebContents((url) => isOnOrigin(url, appOrigin));
  enforceContentSecurityPolicy(devServerUrl ? new URL(devServerUrl).origin : undefined);
  const host = (backend = new BackendHost({
    entry: backendEntry(), home: userData, ai: process.env.WASMFORGE_AI === 'test' ? 'test' : 'ollama', log: mainLog,
    onCrash: ({ restarting }) => relay.backendGone({ notice: restarting ? 'backend-restarted' : 'backend-gone', generation: host.generation + (restarting ? 1 : 0), logFile: mainLog.file }),
  }));
  const warn = (message: string) => {
    mainLog.warn(`ipc: ${message}`);
    console.warn(`ipc: ${message}`);
  };
  const relay = windowsRelay = new BackendRelay(host, electronIpcTransport(), {
    allowedSenders: [appOrigin], log: warn,
    onShell: shellActions({ logsFolder: logsFolder(userData), log: mainLog, openPath: (path) => shell.openPath(path) }),
  });
  host.start();
  // The window opens while the backend starts: its first calls wait in their port until it is ready.
  mainWindow = createMainWindow({
    userData, preload: join(here, '../preload/index.cjs'), url: `${devServerUrl ?? `${APP_ORIGIN}/index.html`}${pendingLink ? hashFor(pendingLink) : ''}`,
  });
  pendingLink = undefined;
  await host.ready;
  if (smokeOut) void runSmoke(mainWindow, smokeOut, host).finally(() => app.quit());
}

/** Shows a linked plugin's page: in the open window, or where the window will open. */
function openLink(link: DeepLink): void {
  if (!mainWindow || mainWindow.isDestroyed() || !windowsRelay) {
    pendingLink = link;
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
  windowsRelay.notify({ kind: 'notice', notice: 'open-plugin', ...link });
}

registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv: string[]) => {
    // Gone while quitting (the API is still closing): nothing to bring back.
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    const link = deepLinkIn(argv);
    if (link) openLink(link);
  });
  registerDeepLinks(app, openLink);
  app.on('window-all-closed', () => app.quit());
  quitAfterCleanup(app, async () => {
    await backend?.stop();
    log?.info('quitting');
    await log?.close();
  }, { log: (message) => (log ? log.warn(message) : console.warn(message)) });
  void app.whenReady().then(start).catch((error: unknown) => {
    log?.fatal('could not start', { error: error instanceof Error ? error.message : String(error) });
    dialog.showErrorBox('WasmForge could not start', error instanceof Error ? error.message : String(error));
    app.quit();
  });
}
