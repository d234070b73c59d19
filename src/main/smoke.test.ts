import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import type { BrowserWindow } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppApi, type AppApi } from '../app/index.ts';
import { IpcRouter } from '../ipc/router.ts';
import { IPC_CHANNEL, type IpcReply, type IpcRequest } from '../shared/api/wire.ts';
import { electron, FakeWebContents } from '../../test/support/fake-electron.ts';
import { electronIpcTransport } from './ipc-transport.ts';
import { runSmoke, SMOKE_EXPECTED_OUTPUT } from './smoke.ts';

// The smoke run's page script, run against a page stand-in whose window.wasmforge is the preload's
// bridge over the stand-in ipcMain, into the real transport, router and app API (real python.wasm).
vi.mock('electron', async () => (await import('../../test/support/fake-electron.ts')).electron);

const scratch = mkdtempSync(join(tmpdir(), 'wasmforge-smoke-'));
let api: AppApi;
beforeAll(async () => {
  api = await createAppApi({ home: join(scratch, 'home'), host: 'desktop', ai: 'test', sandbox: { warmPoolSize: 1 } });
  new IpcRouter(api.dispatcher, electronIpcTransport(), { allowedSenders: ['app://wasmforge'] });
});
afterAll(async () => {
  await api?.close();
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
  it('runs hello-world through the IPC channel, saves the screenshot and a passing result.json', async () => {
    const out = mkdtempSync(join(scratch, 'out-'));
    const report = await runSmoke({ webContents: page() } as unknown as BrowserWindow, out);
    expect(report).toMatchObject({ ok: true, output: SMOKE_EXPECTED_OUTPUT, screenshot: join(out, 'window.png') });
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'))).toMatchObject({ ok: true, output: SMOKE_EXPECTED_OUTPUT });
    expect(readFileSync(join(out, 'window.png')).subarray(0, 4).toString('latin1')).toBe('\x89PNG');
  });

  it('writes a failing result.json, with the reason, when the page has no bridge', async () => {
    const out = mkdtempSync(join(scratch, 'out-'));
    const contents = Object.assign(page(), { executeJavaScript: async (code: string) => runInNewContext(code, { window: {}, setTimeout, clearTimeout, Error }) });
    const report = await runSmoke({ webContents: contents } as unknown as BrowserWindow, out);
    expect(report).toMatchObject({ ok: false, answer: expect.stringContaining('preload bridge') });
    expect(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')).ok).toBe(false);
  });
});
