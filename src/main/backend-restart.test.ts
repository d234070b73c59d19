import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL } from '../shared/api/wire.ts';
import { electron, FakeBrowserWindow, FakeWebContents, userData } from '../../test/support/fake-electron.ts';
import { FakeUtilityProcess } from '../../test/support/fake-utility-process.ts';

// The shell against the stand-in Electron, its backend a real child process that the tests kill.
vi.mock('electron', async () => (await import('../../test/support/fake-electron.ts')).electron);

type Reply = { kind: string; id?: number; notice?: string; generation?: number; envelope?: { ok: boolean; data?: unknown; error?: { code: string; message: string } } };
let contents: FakeWebContents;

beforeAll(async () => {
  delete process.env.ELECTRON_RENDERER_URL;
  process.env.WASMFORGE_AI = 'test';
  process.env.WASMFORGE_BACKEND_NICENESS = '0'; // its priority is tested in src/backend; here it would only slow a loaded machine's run
  await import('./index.ts');
  await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1), { timeout: 30_000 });
  contents = FakeBrowserWindow.created[0]!.webContents;
});
afterAll(() => {
  for (const backend of FakeUtilityProcess.created) backend.kill();
  rmSync(userData, { recursive: true, force: true });
});

function send(message: unknown): void {
  electron.ipcMain.emit(IPC_CHANNEL, { sender: contents, senderFrame: contents.mainFrame }, message);
}
const sent = () => contents.sent as Reply[];
const ended = (id: number) => sent().filter((reply) => reply.kind === 'end' && reply.id === id);
const mainLog = () => readFileSync(join(userData, 'logs', 'main.1.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('a backend that dies', () => {
  it('ends the calls under way with BACKEND_RESTARTED, tells the window, starts a new generation that serves the next call', async () => {
    send({ kind: 'call', id: 1, route: 'runs.run', input: { code: 'import time\ntime.sleep(60)\n', remember: false } });
    await vi.waitFor(() => expect(sent().some((reply) => reply.id === 1)).toBe(true), { timeout: 60_000 }); // accepted: it runs
    const first = FakeUtilityProcess.created[0]!;
    process.kill(first.pid!, 'SIGKILL');
    await vi.waitFor(() => expect(ended(1)).toHaveLength(1), { timeout: 10_000 });
    expect(ended(1)[0]!.envelope).toMatchObject({ ok: false, error: { code: 'BACKEND_RESTARTED', message: expect.stringMatching(/restarted/) } });
    expect(sent()).toContainEqual(expect.objectContaining({ kind: 'notice', notice: 'backend-restarted', generation: 2 }));
    expect(FakeUtilityProcess.created).toHaveLength(2);

    send({ kind: 'call', id: 2, route: 'app.info', input: {} });
    await vi.waitFor(() => expect(ended(2)).toHaveLength(1), { timeout: 60_000 });
    expect(ended(2)[0]!.envelope).toMatchObject({ ok: true, data: { host: 'desktop' } });
    expect(FakeUtilityProcess.created[1]!.pid).not.toBe(first.pid);
  }, 90_000);

  it('writes the crash to main’s log with its exit code, and Electron’s child-process-gone with its reason', () => {
    const lines = mainLog();
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'the backend process died', generation: 1, exitCode: 9, restarting: true }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'a child process is gone', type: 'Utility', reason: 'killed', exitCode: 9 }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'backend process started', generation: 2 }));
  });

  it('is given up after dying again and again, and then every call is answered at once, not left hanging', async () => {
    for (const attempt of [2, 3]) {
      const backend = FakeUtilityProcess.created[attempt - 1]!;
      await vi.waitFor(() => expect(backend.pid).toBeGreaterThan(0), { timeout: 20_000 });
      send({ kind: 'call', id: 10 + attempt, route: 'app.info', input: {} }); // connects this document to it
      await vi.waitFor(() => expect(ended(10 + attempt)).toHaveLength(1), { timeout: 60_000 });
      process.kill(backend.pid!, 'SIGKILL');
      await vi.waitFor(() => expect(backend.pid).toBeUndefined(), { timeout: 10_000 });
    }
    expect(FakeUtilityProcess.created).toHaveLength(3); // the third crash within a minute: no fourth
    expect(sent()).toContainEqual(expect.objectContaining({ kind: 'notice', notice: 'backend-gone' }));
    send({ kind: 'call', id: 20, route: 'app.info', input: {} });
    await vi.waitFor(() => expect(ended(20)).toHaveLength(1), { timeout: 10_000 });
    expect(ended(20)[0]!.envelope).toMatchObject({ ok: false, error: { code: 'BACKEND_RESTARTED', message: expect.stringMatching(/not running/) } });
    expect(mainLog()).toContainEqual(expect.objectContaining({ msg: 'the backend process died', generation: 3, restarting: false }));
  }, 120_000);
});

describe('the shell’s own actions', () => {
  it('opens the logs folder (that folder only) and writes renderer errors to main’s log; malformed or foreign requests are dropped', async () => {
    electron.shell.openPath.mockClear();
    send({ kind: 'shell', action: 'open-logs-folder' });
    send({ kind: 'shell', action: 'open-logs-folder', path: '/etc' });
    send({ kind: 'shell', action: 'report-error', error: { source: 'error', message: 'TypeError: x is undefined', stack: 'at App.tsx:12' } });
    send({ kind: 'shell', action: 'report-error', error: { source: 'error', message: 'x'.repeat(5000) } });
    const evil = new FakeWebContents();
    evil.mainFrame.url = 'https://evil.example/';
    electron.ipcMain.emit(IPC_CHANNEL, { sender: evil, senderFrame: evil.mainFrame }, { kind: 'shell', action: 'open-logs-folder' });
    await vi.waitFor(() => expect(mainLog().filter((line) => line.msg === 'dropped a malformed shell request from a window')).toHaveLength(2), { timeout: 10_000 });
    expect(electron.shell.openPath.mock.calls).toEqual([[join(userData, 'logs')]]);
    expect(mainLog()).toContainEqual(expect.objectContaining({ msg: 'renderer error', source: 'error', error: 'TypeError: x is undefined', stack: 'at App.tsx:12' }));
  });
});
