import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rmSync } from 'node:fs';
import { IPC_CHANNEL } from '../shared/api/wire.ts';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts';
import { electron, FakeBrowserWindow, FakeWebContents, registered, userData, type FakeFrame } from './fake-electron.ts';

// The whole shell (src/main/index.ts) started against a stand-in Electron and a stand-in API.
vi.mock('electron', async () => (await import('./fake-electron.ts')).electron);
const dispatched = vi.hoisted(() => [] as string[]);
vi.mock('../app/index.ts', () => ({
  createAppApi: async () => ({
    dispatcher: {
      isRoute: () => true,
      isStream: () => false,
      dispatch: async (route: string) => {
        dispatched.push(route);
        return { ok: true, data: { route } };
      },
    },
    close: async () => undefined,
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

function navigate(contents: FakeWebContents, event: 'will-navigate' | 'will-redirect', url: string): boolean {
  const preventDefault = vi.fn();
  contents.emit(event, { preventDefault }, url);
  return preventDefault.mock.calls.length === 0;
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

  it('grants pages no permission but writing to the clipboard', () => {
    const [[request]] = electron.session.defaultSession.setPermissionRequestHandler.mock.calls as unknown as [[(c: unknown, p: string, cb: (ok: boolean) => void) => void]];
    const answers: boolean[] = [];
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-sanitized-write']) request({}, permission, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, true]);
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
