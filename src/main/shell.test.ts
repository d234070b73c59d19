import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { IPC_CHANNEL } from '../shared/api/wire.ts';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts';
import { electron, fakeEvent, FakeBrowserWindow, FakeWebContents, registered, userData, type FakeFrame } from '../../test/support/fake-electron.ts';
import { FakeUtilityProcess } from '../../test/support/fake-utility-process.ts';
import { loadWindowState } from './window-state.ts';

// The whole shell (src/main/index.ts) started against a stand-in Electron whose utility process is
// real: the backend entry (src/backend) runs in a Node child with the real app API (test AI).
vi.mock('electron', async () => (await import('../../test/support/fake-electron.ts')).electron);

type Reply = { kind: string; id: number; event?: { type?: string }; envelope?: { ok: boolean; data?: unknown; error?: { code: string } } };
const SLEEPER = 'import time\nfrom platform_sdk import send_output\ntime.sleep(60)\nsend_output("late")\n';

let window: FakeBrowserWindow;
beforeAll(async () => {
  delete process.env.ELECTRON_RENDERER_URL;
  process.env.WASMFORGE_AI = 'test';
  process.env.WASMFORGE_BACKEND_NICENESS = '0'; // its priority is tested in src/backend; here it would only slow a loaded machine's run
  await import('./index.ts');
  await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1), { timeout: 30_000 });
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

/** One API call from `frame` of a window, as the preload sends it. */
function send(contents: FakeWebContents, id: number, route: string, input: unknown = {}, frame: FakeFrame = contents.mainFrame): void {
  electron.ipcMain.emit(IPC_CHANNEL, { sender: contents, senderFrame: frame }, { kind: 'call', id, route, input });
}
const replies = (contents: FakeWebContents, id: number) => contents.sent.filter((reply) => (reply as Reply).id === id) as Reply[];
const ended = (contents: FakeWebContents, id: number) => replies(contents, id).filter((reply) => reply.kind === 'end');

describe('the API, served by the backend process', () => {
  it('runs the API in a utility process of its own, not in main', async () => {
    expect(FakeUtilityProcess.created).toHaveLength(1);
    const backend = FakeUtilityProcess.created[0]!;
    expect(backend.child.spawnargs.join(' ')).toMatch(/src[/\\]backend[/\\]index\.ts/);
    await vi.waitFor(() => expect(backend.pid).toBeGreaterThan(0), { timeout: 30_000 });
    expect(backend.pid).not.toBe(process.pid);
  });

  it('relays a call from the app page in the top frame, and its answer', async () => {
    const contents = window.webContents;
    send(contents, 1, 'app.info');
    await vi.waitFor(() => expect(ended(contents, 1)).toHaveLength(1), { timeout: 60_000 });
    expect(ended(contents, 1)[0]!.envelope).toMatchObject({ ok: true, data: { host: 'desktop', dataHome: userData, logsFolder: join(userData, 'logs') } });
  }, 70_000);

  it('relays stream events as they come, then the end', async () => {
    const contents = window.webContents;
    send(contents, 2, 'runs.run', { code: 'from platform_sdk import send_output\nprint("log line")\nsend_output("hi")\n', remember: false });
    await vi.waitFor(() => expect(ended(contents, 2)).toHaveLength(1), { timeout: 60_000 });
    const kinds = replies(contents, 2).map((reply) => reply.kind === 'event' ? reply.event?.type : reply.kind);
    expect(kinds[0]).toBe('accepted');
    expect(kinds.at(-1)).toBe('end');
    expect(ended(contents, 2)[0]!.envelope).toMatchObject({ ok: true, data: { result: { output: 'hi' } } });
  }, 70_000);

  it('opens a wasmforge:// link given to a second start as that plugin\'s page in the window, never anything else', () => {
    const contents = window.webContents;
    expect(electron.app.setAsDefaultProtocolClient).toHaveBeenCalledWith('wasmforge');
    const notices = () => contents.sent.filter((reply) => (reply as Reply).kind === 'notice');
    const before = notices().length;
    electron.app.emit('second-instance', fakeEvent(), ['/opt/WasmForge/wasmforge', 'wasmforge://plugin/haiku@0.1.0'], '/');
    electron.app.emit('second-instance', fakeEvent(), ['/opt/WasmForge/wasmforge', 'wasmforge://plugin/haiku@0.1.0?install=1'], '/');
    electron.app.emit('open-url', fakeEvent(), 'wasmforge://plugin/word-teller');
    expect(notices().slice(before)).toEqual([
      { kind: 'notice', notice: 'open-plugin', name: 'haiku', version: '0.1.0' },
      { kind: 'notice', notice: 'open-plugin', name: 'word-teller' },
    ]);
  });

  it('drops calls from a subframe, another origin or a file page before they reach the backend', async () => {
    const contents = window.webContents;
    const warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    send(contents, 10, 'app.info', {}, { url: 'app://wasmforge/index.html' }); // an iframe, even of the app's own page
    const evil = new FakeWebContents();
    evil.mainFrame.url = 'https://evil.example/';
    send(evil, 11, 'app.info');
    const elsewhere = new FakeWebContents();
    elsewhere.mainFrame.url = 'file:///tmp/page.html';
    send(elsewhere, 12, 'app.info');
    // A call served afterwards proves the refused ones had their chance to be answered.
    send(contents, 13, 'app.info');
    await vi.waitFor(() => expect(ended(contents, 13)).toHaveLength(1), { timeout: 60_000 });
    expect([...replies(contents, 10), ...evil.sent, ...elsewhere.sent]).toEqual([]);
    expect(warnings.mock.calls.filter(([message]) => String(message).includes('untrusted frame'))).toHaveLength(3);
    warnings.mockRestore();
  }, 70_000);
});

describe('a page that goes away', () => {
  // The first history read opens the backend's database, seconds on a busy machine: done before the timed parts.
  beforeAll(async () => {
    send(window.webContents, 19_999, 'runs.history', { limit: 1 });
    await vi.waitFor(() => expect(ended(window.webContents, 19_999)).toHaveLength(1), { timeout: 120_000 });
  }, 130_000);

  /** A run that sleeps for a minute, seen started (its `accepted` event came back). */
  async function slowRun(contents: FakeWebContents, id: number): Promise<void> {
    send(contents, id, 'runs.run', { code: SLEEPER, remember: true });
    await vi.waitFor(() => expect(replies(contents, id).length).toBeGreaterThan(0), { timeout: 60_000 });
  }

  let nextHistoryId = 20_000;
  /** The newest runs' error codes, as the backend's history has them. */
  async function historyCodes(contents: FakeWebContents): Promise<Array<string | null>> {
    const id = nextHistoryId++;
    send(contents, id, 'runs.history', { limit: 5 });
    await vi.waitFor(() => expect(ended(contents, id)).toHaveLength(1), { timeout: 60_000 });
    return (ended(contents, id)[0]!.envelope!.data as Array<{ errorCode: string | null }>).map((run) => run.errorCode);
  }

  it('a reload gets calls of its own: its run is cancelled in the backend, the same id is served, the old answer never arrives', async () => {
    const contents = window.webContents;
    await slowRun(contents, 9001);
    contents.reload(); // Electron keeps contents.id across a reload
    send(contents, 9001, 'app.info'); // the new page numbers its calls from the start again
    await vi.waitFor(() => expect(ended(contents, 9001)).toHaveLength(1), { timeout: 60_000 });
    expect(ended(contents, 9001)[0]!.envelope).toMatchObject({ ok: true, data: { host: 'desktop' } });
    // Cancelled at once (not after its minute): the backend recorded it as CANCELLED.
    await vi.waitFor(async () => expect((await historyCodes(contents))[0]).toBe('CANCELLED'), { timeout: 120_000, interval: 500 });
    expect(ended(contents, 9001)).toHaveLength(1);
  }, 200_000);

  it('a same-document navigation (the app’s own routes) keeps its calls', async () => {
    const contents = window.webContents;
    send(contents, 9002, 'runs.run', { code: 'import time\nfrom platform_sdk import send_output\ntime.sleep(1)\nsend_output("kept")\n', remember: false });
    await vi.waitFor(() => expect(replies(contents, 9002).length).toBeGreaterThan(0), { timeout: 60_000 });
    contents.navigate('app://wasmforge/index.html#/runner', { sameDocument: true });
    await vi.waitFor(() => expect(ended(contents, 9002)).toHaveLength(1), { timeout: 60_000 });
    expect(ended(contents, 9002)[0]!.envelope).toMatchObject({ ok: true, data: { result: { output: 'kept' } } });
  }, 130_000);

  it('a crashed renderer has its calls cancelled, and the crash is in main’s log with its reason', async () => {
    const contents = window.webContents;
    await slowRun(contents, 9003);
    contents.crash('oom');
    await vi.waitFor(async () => expect((await historyCodes(contents))[0]).toBe('CANCELLED'), { timeout: 120_000, interval: 500 });
    const mainLog = readFileSync(join(userData, 'logs', 'main.1.log'), 'utf8');
    expect(mainLog).toMatch(/"reason":"oom".*"msg":"a window’s renderer process is gone"|"msg":"a window’s renderer process is gone".*"reason":"oom"/);
  }, 200_000);
});

// Last: it closes the window.
describe('quitting', () => {
  it('does not stop the backend when a window stays open (unsaved edits, the user chose Stay)', async () => {
    const stay = (event: { preventDefault(): void }) => event.preventDefault();
    window.on('close', stay);
    electron.app.quit();
    window.off('close', stay);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(window.isDestroyed()).toBe(false);
    expect(FakeUtilityProcess.created.at(-1)!.pid).toBeGreaterThan(0);
  });

  it('closes the windows, waits for the backend to close the API and exit, then quits; the window’s place is written on the way out', async () => {
    const backend = FakeUtilityProcess.created.at(-1)!;
    const order: string[] = [];
    backend.on('exit', (code: number) => order.push(`backend exited ${code}`));
    electron.app.on('quit', () => order.push('quit'));
    electron.app.quit();
    // The window is gone and its place written at once (synchronously, in 'close'); the app waits.
    expect(window.isDestroyed()).toBe(true);
    expect(loadWindowState(userData)).toEqual({ ...window.getNormalBounds(), maximized: false });
    electron.app.quit(); // asked again while the API closes: still one cleanup
    electron.app.emit('second-instance', fakeEvent(), [], '/'); // started again meanwhile: no window to raise, no error
    await vi.waitFor(() => expect(order).toEqual(['backend exited 0', 'quit']), { timeout: 30_000 });
    expect(readFileSync(join(userData, 'logs', 'backend.1.log'), 'utf8')).toContain('"msg":"backend closed"');
  }, 40_000);
});
