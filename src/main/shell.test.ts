import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rmSync } from 'node:fs';
import { IPC_CHANNEL } from '../shared/api/wire.ts';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts';
import { electron, fakeEvent, FakeBrowserWindow, FakeWebContents, registered, userData, type FakeFrame } from '../../test/support/fake-electron.ts';
import { loadWindowState } from './window-state.ts';

// The whole shell (src/main/index.ts) started against a stand-in Electron and a stand-in API whose
// calls can be held (`gates`, by route) and whose close can be held (`closeGate`).
vi.mock('electron', async () => (await import('../../test/support/fake-electron.ts')).electron);
const control = vi.hoisted(() => ({
  dispatched: [] as string[],
  signals: new Map<string, AbortSignal>(),
  gates: new Map<string, Promise<void>>(),
  closeGate: undefined as Promise<void> | undefined,
  closed: false,
}));
const dispatched = control.dispatched;
vi.mock('../app/index.ts', () => ({
  createAppApi: async () => ({
    dispatcher: {
      isRoute: () => true,
      isStream: () => false,
      dispatch: async (route: string, _input: unknown, options: { signal: AbortSignal }) => {
        control.dispatched.push(route);
        control.signals.set(route, options.signal);
        await control.gates.get(route);
        return { ok: true, data: { route } };
      },
    },
    close: async () => {
      await control.closeGate;
      control.closed = true;
    },
  }),
}));

let window: FakeBrowserWindow;
beforeAll(async () => {
  delete process.env.ELECTRON_RENDERER_URL;
  await import('./index.ts');
  await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
  window = FakeBrowserWindow.created[0]!;
});
afterAll(() => rmSync(userData, { recursive: true, force: true }));

/** A page's webContents as Electron hands it to the shell when it is created. */
function newContents(): FakeWebContents {
  const contents = new FakeWebContents();
  electron.app.emit('web-contents-created', {}, contents);
  return contents;
}

/**
 * Emits will-navigate / will-redirect as Electron 45 does: a details event with the url first.
 * The deprecated positional url is made to say the opposite, so only details.url can pass the test.
 */
function navigate(contents: FakeWebContents, event: 'will-navigate' | 'will-redirect', url: string): boolean {
  const details = fakeEvent({ url, isSameDocument: false, isMainFrame: true, frame: contents.mainFrame, initiator: undefined });
  const decoy = url.startsWith('app://wasmforge/') ? 'https://example.com/' : 'app://wasmforge/index.html';
  contents.emit(event, details, decoy, false, true, 1, 1);
  return !details.defaultPrevented;
}

describe('the Electron shell', () => {
  it('opens one sandboxed, context-isolated window without Node, on the app origin', () => {
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String(window.options.webPreferences.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(window.loadURL).toHaveBeenCalledWith('app://wasmforge/index.html');
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
  });

  it('keeps every page on the app: other navigations and redirects are blocked, webviews refused', () => {
    const contents = newContents();
    expect(navigate(contents, 'will-navigate', 'app://wasmforge/index.html#/runner')).toBe(true);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)']) {
      expect(navigate(contents, 'will-navigate', url)).toBe(false);
      expect(navigate(contents, 'will-redirect', url)).toBe(false);
    }
    const preventDefault = vi.fn();
    contents.emit('will-attach-webview', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
  });

  it('denies window.open and sends only http and https links to the browser', () => {
    const contents = newContents();
    electron.shell.openExternal.mockClear();
    for (const url of ['https://example.com/docs', 'http://example.com/', 'file:///etc/passwd', 'smb://host/share', 'javascript:alert(1)', 'not a url']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.shell.openExternal.mock.calls.map(([url]) => url)).toEqual(['https://example.com/docs', 'http://example.com/']);
    electron.shell.openExternal.mockClear();
    navigate(contents, 'will-navigate', 'https://example.com/clicked');
    navigate(contents, 'will-navigate', 'file:///etc/passwd');
    expect(electron.shell.openExternal.mock.calls.map(([url]) => url)).toEqual(['https://example.com/clicked']);
  });

  it('grants pages no permission but the clipboard: writing for any page, reading for the app’s own top frame (Monaco’s Paste)', () => {
    type Details = { requestingUrl: string; isMainFrame: boolean };
    const [[request]] = electron.session.defaultSession.setPermissionRequestHandler.mock.calls as unknown as [[(c: unknown, p: string, cb: (ok: boolean) => void, d: Details) => void]];
    const [[check]] = electron.session.defaultSession.setPermissionCheckHandler.mock.calls as unknown as [[(c: unknown, p: string, origin: string, d: Partial<Details>) => boolean]];
    const app = { requestingUrl: 'app://wasmforge/index.html', isMainFrame: true };
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-sanitized-write', 'clipboard-read']) request({}, permission, (ok) => answers.push(ok), app);
    expect(answers).toEqual([false, false, false, true, true]);
    const readFrom = (details: Details) => new Promise((resolve) => request({}, 'clipboard-read', resolve, details));
    return Promise.all([
      expect(readFrom({ requestingUrl: 'https://evil.example/', isMainFrame: true })).resolves.toBe(false),
      expect(readFrom({ requestingUrl: 'app://wasmforge/index.html', isMainFrame: false })).resolves.toBe(false),
    ]).then(() => {
      expect(check({}, 'clipboard-read', 'app://wasmforge', { isMainFrame: true })).toBe(true);
      expect(check({}, 'clipboard-read', 'https://evil.example', { isMainFrame: true })).toBe(false);
      expect(check({}, 'clipboard-read', 'app://wasmforge', { isMainFrame: false })).toBe(false);
      expect(check({}, 'media', 'app://wasmforge', { isMainFrame: true })).toBe(false);
    });
  });

  it('brings the window back when the app is started again (restored if minimized, focused)', () => {
    window.minimize();
    electron.app.emit('second-instance', fakeEvent(), [], '/');
    expect(window.restore).toHaveBeenCalled();
    expect(window.isMinimized()).toBe(false);
    expect(window.focused).toBe(true);
  });

  it('sends the Content-Security-Policy header with every response', () => {
    let headers: Record<string, string[]> | undefined;
    registered.headers?.({ responseHeaders: { 'X-Other': ['kept'], 'Content-Security-Policy': ['weaker'] } }, (response) => (headers = response.responseHeaders));
    expect(headers).toEqual({ 'X-Other': ['kept'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('serves the renderer over app:// with the policy, and nothing outside its folder', async () => {
    const serve = (url: string, init?: RequestInit) => registered.protocol!(new Request(url, init));
    const index = await serve('app://wasmforge/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await index.text()).toContain('<div id="root">');
    for (const path of ['/..%2fmain%2findex.ts', '/%2e%2e%2f%2e%2e%2fpackage.json', '/..%5c..%5cpackage.json']) {
      expect((await serve(`app://wasmforge${path}`)).status, path).toBe(404);
    }
    expect((await serve('app://elsewhere/index.html')).status).toBe(404);
    expect((await serve('app://wasmforge/index.html', { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await serve('app://wasmforge/%E0%A4%A')).status).toBe(400);
  });

  it('answers 404 for a missing file or a folder (Electron’s net.fetch rejects those) and keeps the file’s type', async () => {
    // The shell serves src/renderer here (index.ts's ../renderer, run from the sources).
    const serve = (url: string) => registered.protocol!(new Request(url));
    await expect(electron.net.fetch('file:///nonexistent/index.js')).rejects.toThrow('net::ERR_FILE_NOT_FOUND');
    expect((await serve('app://wasmforge/no-such-file.js')).status).toBe(404);
    expect((await serve('app://wasmforge/src')).status).toBe(404);
    expect((await serve('app://wasmforge/index.html')).headers.get('content-type')).toBe('text/html');
    const css = await serve('app://wasmforge/src/styles.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toBe('text/css');
    expect(css.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('the IPC sender check', () => {
  let nextId = 1;

  /** Sends one API call from `frame` of a window and returns the call's id. */
  function call(contents: FakeWebContents, frame: FakeFrame): number {
    const id = nextId++;
    electron.ipcMain.emit(IPC_CHANNEL, { sender: contents, senderFrame: frame }, { kind: 'call', id, route: `route.${id}`, input: {} });
    return id;
  }

  it('serves the app page in the top frame, and answers it', async () => {
    expect(electron.ipcMain.listeners.get(IPC_CHANNEL)).toHaveLength(1);
    const contents = window.webContents;
    const id = call(contents, contents.mainFrame);
    await vi.waitFor(() => expect(contents.sent).toContainEqual({ kind: 'end', id, envelope: { ok: true, data: { route: `route.${id}` } } }));
  });

  it('drops calls from a subframe, another origin or a file page', async () => {
    const contents = window.webContents;
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const before = dispatched.length;
    const refused = [
      call(contents, { url: 'app://wasmforge/index.html' }), // an iframe, even of the app's own page
      call(Object.assign(new FakeWebContents(), { mainFrame: { url: 'https://evil.example/' } }), { url: 'https://evil.example/' }),
    ];
    const elsewhere = new FakeWebContents();
    elsewhere.mainFrame.url = 'file:///tmp/page.html';
    refused.push(call(elsewhere, elsewhere.mainFrame));
    const evil = new FakeWebContents();
    evil.mainFrame.url = 'https://evil.example/';
    refused.push(call(evil, evil.mainFrame));
    // A call that is served afterwards proves the refused ones had their chance to arrive.
    const served = call(contents, contents.mainFrame);
    await vi.waitFor(() => expect(dispatched).toContain(`route.${served}`));
    expect(dispatched.slice(before)).toEqual([`route.${served}`]);
    expect(refused.every((id) => !contents.sent.some((reply) => (reply as { id: number }).id === id))).toBe(true);
    expect(warnings.mock.calls.filter(([message]) => String(message).includes('untrusted frame'))).toHaveLength(4);
    warnings.mockRestore();
  });
});

describe('a page that goes away', () => {
  /** One call from the window's top frame, with the id and route chosen. */
  function send(contents: FakeWebContents, id: number, route: string): void {
    electron.ipcMain.emit(IPC_CHANNEL, { sender: contents, senderFrame: contents.mainFrame }, { kind: 'call', id, route, input: {} });
  }
  const replies = (contents: FakeWebContents, id: number) => contents.sent.filter((reply) => (reply as { id: number }).id === id);

  it('a reload gets calls of its own: the same id is served, and the old page’s answer never reaches it', async () => {
    const contents = window.webContents;
    let release!: () => void;
    control.gates.set('old.slow', new Promise<void>((resolve) => (release = resolve)));
    send(contents, 9001, 'old.slow');
    await vi.waitFor(() => expect(dispatched).toContain('old.slow'));
    contents.reload(); // Electron keeps contents.id across a reload
    expect(control.signals.get('old.slow')?.aborted).toBe(true);
    send(contents, 9001, 'new.fast'); // the new page numbers its calls from the start again
    await vi.waitFor(() => expect(replies(contents, 9001)).toEqual([{ kind: 'end', id: 9001, envelope: { ok: true, data: { route: 'new.fast' } } }]));
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replies(contents, 9001)).toHaveLength(1);
  });

  it('a same-document navigation (the app’s own routes) keeps its calls', async () => {
    const contents = window.webContents;
    let release!: () => void;
    control.gates.set('hash.slow', new Promise<void>((resolve) => (release = resolve)));
    send(contents, 9002, 'hash.slow');
    await vi.waitFor(() => expect(dispatched).toContain('hash.slow'));
    contents.navigate('app://wasmforge/index.html#/runner', { sameDocument: true });
    release();
    await vi.waitFor(() => expect(replies(contents, 9002)).toEqual([{ kind: 'end', id: 9002, envelope: { ok: true, data: { route: 'hash.slow' } } }]));
    expect(control.signals.get('hash.slow')?.aborted).toBe(false);
  });

  it('a crashed renderer has its calls cancelled', async () => {
    const contents = window.webContents;
    control.gates.set('crash.slow', new Promise<void>(() => undefined));
    send(contents, 9003, 'crash.slow');
    await vi.waitFor(() => expect(dispatched).toContain('crash.slow'));
    contents.crash();
    expect(control.signals.get('crash.slow')?.aborted).toBe(true);
  });
});

// Last: it closes the window.
describe('quitting', () => {
  it('does not close the API when a window stays open (unsaved edits, the user chose Stay)', async () => {
    const stay = (event: { preventDefault(): void }) => event.preventDefault();
    window.on('close', stay);
    electron.app.quit();
    window.off('close', stay);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(window.isDestroyed()).toBe(false);
    expect(control.closed).toBe(false);
  });

  it('closes the windows, waits for the API to close, then quits; the window’s place is written on the way out', async () => {
    let finishClose!: () => void;
    control.closeGate = new Promise<void>((resolve) => (finishClose = resolve));
    const quits: boolean[] = [];
    electron.app.on('quit', () => quits.push(control.closed));
    electron.app.quit();
    // The window is gone and its place written at once (synchronously, in 'close'); the app waits.
    expect(window.isDestroyed()).toBe(true);
    expect(loadWindowState(userData)).toEqual({ ...window.getNormalBounds(), maximized: false });
    electron.app.quit(); // asked again while the API closes: still one cleanup
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(quits).toEqual([]);
    electron.app.emit('second-instance', fakeEvent(), [], '/'); // started again meanwhile: no window to raise, no error
    finishClose();
    await vi.waitFor(() => expect(quits).toEqual([true]));
  });
});
