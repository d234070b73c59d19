/**
 * A stand-in for the parts of Electron the shell uses, for its tests (`vi.mock('electron', …)`):
 * it records what the shell registers (handlers, windows) so that tests can drive them the way
 * Electron 45 would, with the same event shapes (details objects first, deprecated positional
 * arguments after) and the same net.fetch answers for files. Only tests import it. The utility
 * process and its ports (fake-utility-process.ts) run the backend entry for real in a Node child.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { FakeEmitter } from './fake-electron-emitter.ts';
import { FakeMessageChannelMain, FakeUtilityProcess, utilityProcess } from './fake-utility-process.ts';

export { FakeEmitter };

/** An Electron event: preventDefault() and whether it was called. */
export function fakeEvent<T extends object>(fields: T = {} as T): T & { preventDefault: () => void; defaultPrevented: boolean } {
  const event = { ...fields, defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
  return event;
}

export interface FakeFrame {
  url: string;
}

let nextContentsId = 1;

export class FakeWebContents extends FakeEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeFrame = { url: 'app://wasmforge/index.html' };
  readonly sent: unknown[] = [];
  windowOpenHandler?: (details: { url: string }) => { action: string };
  private destroyed = false;

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  /** What main sends the page; a test's page (a preload stand-in) listens on `page:<channel>`. */
  send(channel: string, message: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push(message);
    this.emit(`page:${channel}`, structuredClone(message));
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /**
   * A main-frame navigation as Electron 45 reports it: did-start-navigation with a details event
   * (url, isSameDocument, isMainFrame) and the deprecated positional arguments, then did-navigate
   * once a new document commits (same-document ones emit did-navigate-in-page instead).
   */
  navigate(url: string, { sameDocument = false } = {}): void {
    const details = fakeEvent({ url, isSameDocument: sameDocument, isMainFrame: true, frame: this.mainFrame, initiator: undefined });
    this.emit('did-start-navigation', details, url, sameDocument, true, 1, 1);
    this.mainFrame.url = url;
    if (sameDocument) this.emit('did-navigate-in-page', fakeEvent(), url, true, 1, 1);
    else this.emit('did-navigate', fakeEvent(), url, 200, 'OK');
  }

  reload(): void {
    this.navigate(this.mainFrame.url);
  }

  /** The renderer process died: render-process-gone with Electron's details ({ reason, exitCode }), on the contents and on app. */
  crash(reason = 'crashed'): void {
    const details = { reason, exitCode: 139 };
    this.emit('render-process-gone', fakeEvent(), details);
    electron.app.emit('render-process-gone', fakeEvent(), this, details);
  }

  getURL(): string {
    return this.mainFrame.url;
  }

  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static readonly created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly show = vi.fn();
  private state: 'normal' | 'minimized' | 'maximized' = 'normal';
  focused = false;
  readonly maximize = vi.fn(() => void (this.state = 'maximized'));
  readonly minimize = vi.fn(() => void ((this.focused = false), (this.state = 'minimized')));
  readonly restore = vi.fn(() => void (this.assertAlive(), (this.state = 'normal')));
  readonly focus = vi.fn(() => void (this.assertAlive(), (this.focused = true)));

  constructor(readonly options: { x?: number; y?: number; width: number; height: number; webPreferences: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.created.push(this);
  }

  getNormalBounds() {
    return { x: this.options.x ?? 0, y: this.options.y ?? 0, width: this.options.width, height: this.options.height };
  }

  isMaximized(): boolean {
    return this.state === 'maximized';
  }

  isMinimized(): boolean {
    this.assertAlive();
    return this.state === 'minimized';
  }

  /** Electron throws from a destroyed window's methods (isDestroyed excepted). */
  private assertAlive(): void {
    if (this.isDestroyed()) throw new TypeError('Object has been destroyed');
  }

  isDestroyed(): boolean {
    return this.webContents.isDestroyed();
  }

  /** What Electron does on close(): 'close' (cancellable), then 'closed' and the contents destroyed. Returns whether it closed. */
  close(): boolean {
    if (this.isDestroyed()) return true;
    const event = fakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return false;
    this.emit('closed');
    this.webContents.destroy();
    return true;
  }
}

/** A display's work area, as screen.getAllDisplays() gives it. */
export const displays: Array<{ workArea: { x: number; y: number; width: number; height: number } }> = [
  { workArea: { x: 0, y: 0, width: 1920, height: 1040 } },
];

export const userData = mkdtempSync(join(tmpdir(), 'wasmforge-shell-'));

type ProtocolHandler = (request: Request) => Promise<Response>;
type HeadersListener = (details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void;

export const registered: { protocol?: ProtocolHandler; headers?: HeadersListener } = {};

// Chromium names a file's type by its extension (net/base/mime_util.cc); unknown ones get no type.
const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png', '.ttf': 'font/ttf', '.woff2': 'font/woff2',
};

/**
 * Electron's net.fetch for file: URLs: the file with the type its extension names; a missing file
 * (or a folder) is no 404 but a rejection, net::ERR_FILE_NOT_FOUND, as Chromium fails the request.
 */
async function netFetch(url: string): Promise<Response> {
  const body = await readFile(fileURLToPath(url)).catch(() => undefined);
  if (!body) throw new Error('net::ERR_FILE_NOT_FOUND');
  const type = MIME_TYPES[extname(fileURLToPath(url)).toLowerCase()];
  return new Response(body, { headers: type ? { 'content-type': type } : {} });
}

export const electron = {
  app: Object.assign(new FakeEmitter(), {
    getPath: () => userData,
    requestSingleInstanceLock: () => true,
    /** Electron registers the app as the system's handler of the scheme; true when it could. */
    setAsDefaultProtocolClient: vi.fn((_protocol: string, _path?: string, _args?: string[]) => true),
    whenReady: () => Promise.resolve(),
    /**
     * Electron's quit(): 'before-quit' (cancellable), then every window is closed (a window that
     * refuses cancels the quit), then 'will-quit' (cancellable), then 'quit'.
     */
    quit: vi.fn(() => {
      const beforeQuit = fakeEvent();
      electron.app.emit('before-quit', beforeQuit);
      if (beforeQuit.defaultPrevented) return;
      if (!FakeBrowserWindow.created.every((window) => window.close())) return;
      const willQuit = fakeEvent();
      electron.app.emit('will-quit', willQuit);
      if (!willQuit.defaultPrevented) electron.app.emit('quit', fakeEvent(), 0);
    }),
  }),
  BrowserWindow: FakeBrowserWindow,
  dialog: { showMessageBoxSync: vi.fn(() => 1), showErrorBox: vi.fn() },
  screen: { getAllDisplays: () => displays },
  protocol: {
    registerSchemesAsPrivileged: vi.fn(),
    handle: vi.fn((_scheme: string, handler: ProtocolHandler) => void (registered.protocol = handler)),
  },
  net: { fetch: vi.fn(netFetch) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn((listener: HeadersListener) => void (registered.headers = listener)) },
    },
  },
  // openPath answers '' on success, else the error's message (Electron's contract).
  shell: { openExternal: vi.fn(async (_url: string) => undefined), openPath: vi.fn(async (_path: string) => '') },
  ipcMain: new FakeEmitter(),
  utilityProcess,
  MessageChannelMain: FakeMessageChannelMain,
};
FakeUtilityProcess.app = electron.app;
