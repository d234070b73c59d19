import { app, dialog, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createAppApi, type AppApi } from '../app/index.ts';
import { IpcRouter } from '../ipc/router.ts';
import { APP_ORIGIN, isOnOrigin, registerAppScheme, serveRenderer } from './app-protocol.ts';
import { electronIpcTransport } from './ipc-transport.ts';
import { quitAfterCleanup } from './quit.ts';
import { runSmoke, SMOKE_OUT_ENV } from './smoke.ts';
import { enforceContentSecurityPolicy, hardenWebContents } from './security.ts';
import { createMainWindow } from './window.ts';

// Thin shell: windows, security and the IPC transport. Everything the UI does is in src/app.
const here = import.meta.dirname;
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
// `npm run smoke:desktop`: a fresh data folder inside the smoke output, set before anything reads it.
const smokeOut = process.env[SMOKE_OUT_ENV];
if (smokeOut) app.setPath('userData', join(smokeOut, 'user-data'));
let mainWindow: BrowserWindow | undefined;
let api: AppApi | undefined;

async function start(): Promise<void> {
  if (!devServerUrl) serveRenderer(join(here, '../renderer'));
  hardenWebContents((url) => isOnOrigin(url, appOrigin));
  enforceContentSecurityPolicy(devServerUrl ? new URL(devServerUrl).origin : undefined);
  api = await createAppApi({ home: app.getPath('userData'), host: 'desktop', ai: process.env.WASMFORGE_AI === 'test' ? 'test' : 'ollama' });
  new IpcRouter(api.dispatcher, electronIpcTransport(), { allowedSenders: [appOrigin], log: (message) => console.warn(`ipc: ${message}`) });
  mainWindow = createMainWindow({
    userData: app.getPath('userData'), preload: join(here, '../preload/index.cjs'), url: devServerUrl ?? `${APP_ORIGIN}/index.html`,
  });
  if (smokeOut) void runSmoke(mainWindow, smokeOut).finally(() => app.quit());
}

registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    // Gone while quitting (the API is still closing): nothing to bring back.
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  quitAfterCleanup(app, async () => api?.close(), { log: (message) => console.warn(message) });
  void app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('WasmForge could not start', error instanceof Error ? error.message : String(error));
    app.quit();
  });
}
