import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import type { BrowserWindow } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNEL, type IpcReply, type IpcRequest } from '../shared/api/wire.ts';
import { electron, FakeWebContents } from '../../test/support/fake-electron.ts';
import { BackendHost } from './backend-host.ts';
import { BackendRelay } from './backend-relay.ts';
import { electronIpcTransport } from './ipc-transport.ts';
import { runSmoke, SMOKE_EXPECTED_OUTPUT } from './smoke.ts';

// The smoke run's page script, run against a page stand-in whose window.wasmforge is the preload's
// bridge over the stand-in ipcMain, into the real transport, main's relay and the backend process
// (src/backend, a real child process with the app API and python.wasm), as the app wires them.
vi.mock('electron', async () => (await import('../../test/support/fake-electron.ts')).electron);

const scratch = mkdtempSync(join(tmpdir(), 'wasmforge-smoke-'));
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
let backend: BackendHost;
beforeAll(async () => {
  backend = new BackendHost({ entry: fileURLToPath(new URL('../backend/index.ts', import.meta.url)), home: join(scratch, 'home'), ai: 'test', log: silent });
  new BackendRelay(backend, electronIpcTransport(), { allowedSenders: ['app://wasmforge'], log: () => undefined, onShell: () => undefined });
  backend.start();
  await backend.ready;
}, 60_000);
afterAll(async () => {
  await backend?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A loaded page: executeJavaScript evaluates in a context that has only the preload's bridge, as a sandboxed page does. */
function page(): FakeWebContents & Pick<BrowserWindow['webContents'], 'isLoading' | 'executeJavaScript' | 'capturePage'> {
  const contents = new FakeWebContents();
  const bridge = {
    send: (message: IpcRequest) => electron.ipcMain.emit(IPC_CHANNEL, { sender: contents, senderFrame: contents.mainFrame }, structuredClone(message)),
    onMessage: (listener: (message: IpcReply) => void) => {
      contents.on(`page:${IPC_CHANNEL}`, listener);
      return () => void contents.off(`page:${IPC_CHANNEL}`, listener);
    },
  };
  return Object.assign(contents, {
    isLoading: () => false,
    executeJavaScript: async (code: string) => runInNewContext(code, { window: { wasmforge: bridge }, setTimeout, clearTimeout, Error }),
    capturePage: async () => ({ toPNG: () => Buffer.from('\x89PNG stand-in', 'latin1') }),
  }) as never;
}

describe('npm run smoke:desktop, inside the app', () => {
  it('runs hello-world through the IPC channel and the backend process, saves the screenshot and a passing result.json', async () => {
    const out = mkdtempSync(join(scratch, 'out-'));
    const report = await runSmoke({ webContents: page() } as unknown as BrowserWindow, out, backend);
    expect(report).toMatchObject({ ok: true, output: SMOKE_EXPECTED_OUTPUT, screenshot: join(out, 'window.png'), mainPid: process.pid, backendGeneration: 1 });
    expect(report.backendPid).toBeGreaterThan(0);
    expect(report.backendPid).not.toBe(process.pid);
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'))).toMatchObject({ ok: true, output: SMOKE_EXPECTED_OUTPUT });
    expect(readFileSync(join(out, 'window.png')).subarray(0, 4).toString('latin1')).toBe('\x89PNG');
  });

  it('fails when no backend process answered (the API served from main would not count)', async () => {
    const out = mkdtempSync(join(scratch, 'out-'));
    const report = await runSmoke({ webContents: page() } as unknown as BrowserWindow, out);
    expect(report).toMatchObject({ ok: false, output: SMOKE_EXPECTED_OUTPUT });
  });

  it('writes a failing result.json, with the reason, when the page has no bridge', async () => {
    const out = mkdtempSync(join(scratch, 'out-'));
    const contents = Object.assign(page(), { executeJavaScript: async (code: string) => runInNewContext(code, { window: {}, setTimeout, clearTimeout, Error }) });
    const report = await runSmoke({ webContents: contents } as unknown as BrowserWindow, out);
    expect(report).toMatchObject({ ok: false, answer: expect.stringContaining('preload bridge') });
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).ok).toBe(false);
  });
});
