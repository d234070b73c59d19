/**
 * A stand-in for the parts of Electron the shell uses, for its tests (`vi.mock('electron', …)`):
 * it records what the shell registers (handlers, windows) so that tests can drive them the way
 * Electron would. Only tests import it.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Electron's listeners take many shapes
type Listener = (...args: any[]) => unknown;

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
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

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(_channel: string, message: unknown): void {
    this.sent.push(message);
  }

  isDestroyed(): boolean {
    return false;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static readonly created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly maximize = vi.fn();
  readonly show = vi.fn();

  constructor(readonly options: { x?: number; y?: number; width: number; height: number; webPreferences: Record<string, unknown> }) {
    super();
    FakeBrowserWindow.created.push(this);
  }

  getNormalBounds() {
    return { x: this.options.x ?? 0, y: this.options.y ?? 0, width: this.options.width, height: this.options.height };
  }

  isMaximized(): boolean {
    return false;
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

export const electron = {
  app: Object.assign(new FakeEmitter(), {
    getPath: () => userData,
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    quit: vi.fn(),
  }),
  BrowserWindow: FakeBrowserWindow,
  dialog: { showMessageBoxSync: vi.fn(() => 1), showErrorBox: vi.fn() },
  screen: { getAllDisplays: () => displays },
  protocol: {
    registerSchemesAsPrivileged: vi.fn(),
    handle: vi.fn((_scheme: string, handler: ProtocolHandler) => void (registered.protocol = handler)),
  },
  // Electron's net.fetch reads file: URLs; so does this one.
  net: {
    fetch: async (url: string) => {
      const body = await readFile(fileURLToPath(url)).catch(() => undefined);
      return body ? new Response(body, { headers: { 'content-type': 'text/html' } }) : new Response('missing', { status: 404 });
    },
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn((listener: HeadersListener) => void (registered.headers = listener)) },
    },
  },
  shell: { openExternal: vi.fn(async (_url: string) => undefined) },
  ipcMain: new FakeEmitter(),
};
