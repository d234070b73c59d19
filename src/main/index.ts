import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import { createAppApi, type AppApi } from '../app/index.ts';
import { IpcRouter } from '../ipc/router.ts';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol.ts';
import { electronIpcTransport } from './ipc-transport.ts';
import { enforceContentSecurityPolicy, hardenWebContents } from './security.ts';
import { loadWindowState, saveWindowState } from './window-state.ts';

// Thin shell: windows, security and the IPC transport. Everything the UI does is in src/app.
const here = import.meta.dirname;
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
let mainWindow: BrowserWindow | undefined;
let api: AppApi | undefined;

function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === appOrigin;
  } catch {
    return false;
  }
}

function createMainWindow(): BrowserWindow {
  const state = loadWindowState(app.getPath('userData'));
  const window = new BrowserWindow({
    x: state.x, y: state.y, width: state.width, height: state.height,
    minWidth: 800, minHeight: 560, show: false, backgroundColor: '#1e1f24', title: 'WasmForge',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => void saveWindowState(app.getPath('userData'), { ...window.getNormalBounds(), maximized: window.isMaximized() }));
  // The page refuses to unload while edits are unsaved; ask the user rather than silently staying open.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question', buttons: ['Leave', 'Stay'], defaultId: 1, cancelId: 1,
      message: 'You have unsaved changes', detail: 'Your draft is kept and will be back next time, but it is not saved to the plugin yet.',
    });
    if (choice === 0) event.preventDefault();
  });
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

async function start(): Promise<void> {
  if (!devServerUrl) serveRenderer(join(here, '../renderer'));
  hardenWebContents(isAppUrl);
  enforceContentSecurityPolicy(devServerUrl ? new URL(devServerUrl).origin : undefined);
  api = await createAppApi({ home: app.getPath('userData'), host: 'desktop', ai: process.env.WASMFORGE_AI === 'test' ? 'test' : 'ollama' });
  new IpcRouter(api.dispatcher, electronIpcTransport(), { allowedSenders: [appOrigin], log: (message) => console.warn(`ipc: ${message}`) });
  mainWindow = createMainWindow();
}

registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void api?.close());
  void app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('WasmForge could not start', error instanceof Error ? error.message : String(error));
    app.quit();
  });
}
