import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppApi, type AppApi } from '../../src/app/index.ts';
import { startApiServer, type ApiServer } from '../../src/server/server.ts';

// An install without python.wasm (`npm ci --ignore-scripts` skips the postinstall copy): every
// place the sandbox looks finds no file. The real findSandboxResources runs and throws its real error.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const existsSync = (path: Parameters<typeof actual.existsSync>[0]) => !String(path).endsWith('python.wasm') && actual.existsSync(path);
  return { ...actual, existsSync, default: { ...actual, existsSync } };
});

const home = mkdtempSync(join(tmpdir(), 'wasmforge-no-python-'));
let api: AppApi;
let server: ApiServer;
beforeAll(async () => {
  api = await createAppApi({ home, host: 'server', ai: 'test' });
  server = await startApiServer({ dispatcher: api.dispatcher, port: 0 });
});
afterAll(async () => {
  await server?.close();
  await api?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('the app without python.wasm', () => {
  it('opens, and says the embedded engine is unavailable and how to fix it', async () => {
    expect((await api.client.call('app.info', {})).host).toBe('server');
    const engines = await api.client.call('engines.status', {});
    expect(engines.embedded).toEqual({ available: false, reason: expect.stringMatching(/python\.wasm was not found.*npm ci/) });
    expect(engines.wasmedge.available).toBe(false);
  });

  it('fails a run with ENGINE_UNAVAILABLE and the fix, and keeps serving', async () => {
    const result = await api.context.runtime.run({ code: 'print(1)' });
    expect(result).toMatchObject({ ok: false, error: { code: 'ENGINE_UNAVAILABLE', message: 'python.wasm was not found', hint: expect.stringMatching(/npm ci/) } });
    expect((await api.client.call('templates.list', {})).length).toBeGreaterThan(0);
  });

  it('serves the same over HTTP (`wasmforge serve`)', async () => {
    const response = await fetch(`${server.url}/api/call/engines.status`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: '{}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, data: { embedded: { available: false, reason: expect.stringMatching(/npm ci/) } } });
  });
});
