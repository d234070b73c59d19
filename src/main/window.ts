import { BrowserWindow, dialog, screen } from 'electron';
import { loadWindowState, placeOnDisplays, saveWindowStateSync } from './window-state.ts';

export interface MainWindowOptions {
  /** Where the window's size and place are kept (Electron's userData). */
  userData: string;
  /** The built preload script. */
  preload: string;
  /** The app's page (app://wasmforge/index.html, or the dev server). */
  url: string;
}

/**
 * The one window: sandboxed, isolated, no Node in the page; it comes back where it was when that
 * place is still on a screen, and asks before leaving a page with unsaved edits.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const state = placeOnDisplays(loadWindowState(options.userData), screen.getAllDisplays().map((display) => display.workArea));
  const window = new BrowserWindow({
    x: state.x, y: state.y, width: state.width, height: state.height,
    minWidth: 800, minHeight: 560, show: false, backgroundColor: '#1e1f24', title: 'WasmForge',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false,
    },
  });
  if (state.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => saveWindowStateSync(options.userData, { ...window.getNormalBounds(), maximized: window.isMaximized() }));
  // The page refuses to unload while edits are unsaved; ask the user rather than silently staying open.
  window.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(window, {
      type: 'question', buttons: ['Leave', 'Stay'], defaultId: 1, cancelId: 1,
      message: 'You have unsaved changes', detail: 'Your draft is kept and will be back next time, but it is not saved to the plugin yet.',
    });
    if (choice === 0) event.preventDefault();
  });
  void window.loadURL(options.url);
  return window;
}
