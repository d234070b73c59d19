import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiRoutes } from '../shared/api/routes.ts';
import { createDispatcher } from '../app/dispatcher.ts';
import type { ApiHandlers } from '../shared/api/types.ts';
import { appInfoOnlyHandlers } from '../../test/support/app-info-handlers.ts';
import { startApiServer, type ApiServer } from './server.ts';

// Only app.info is needed here; the contract suite covers the routes over HTTP.
const handlers = appInfoOnlyHandlers;

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, not fetch: fetch will not let a test forge Host or Origin. */
function raw(server: ApiServer, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: server.port, path, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('HTTP server', () => {
  let server: ApiServer;
  let ui: string;
  const json = (extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...extra });

  beforeAll(async () => {
    ui = await mkdtemp(join(tmpdir(), 'wf-ui-'));
    await mkdir(join(ui, 'assets'));
    await writeFile(join(ui, 'index.html'), '<!doctype html><title>WasmForge</title>');
    await writeFile(join(ui, 'assets', 'app-1234.js'), 'console.log("app")'.repeat(100));
    await writeFile(join(tmpdir(), 'wf-secret.txt'), 'secret');
    server = await startApiServer({ dispatcher: createDispatcher(apiRoutes, handlers), rendererDir: ui });
  });
  afterAll(async () => {
    await server.close();
    await rm(ui, { recursive: true, force: true });
  });

  it('binds to loopback and prints a sign-in URL carrying the token in the fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.signInUrl).toBe(`${server.url}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers API calls that carry the token', async () => {
    const response = await raw(server, '/api/call/app.info', { method: 'POST', headers: json(), body: '{}' });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, data: { version: '0.1.0' } });
  });

  it.each([
    ['no token', { 'content-type': 'application/json' }],
    ['a wrong token', { 'content-type': 'application/json', authorization: 'Bearer nope' }],
  ])('refuses a call with %s', async (_label, headers) => {
    const response = await raw(server, '/api/call/app.info', { method: 'POST', headers, body: '{}' });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).error.code).toBe('UNAUTHORIZED');
  });

  it('keeps CORS closed: a foreign origin is refused and no allow-origin header is ever sent', async () => {
    const foreign = await raw(server, '/api/call/app.info', { method: 'POST', headers: json({ origin: 'http://evil.example' }), body: '{}' });
    expect(foreign.status).toBe(403);
    const preflight = await raw(server, '/api/call/app.info', { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const crossSite = await raw(server, '/api/call/app.info', { method: 'POST', headers: json({ 'sec-fetch-site': 'cross-site' }), body: '{}' });
    expect(crossSite.status).toBe(403);
  });

  it('refuses a Host that is not this loopback server (DNS rebinding)', async () => {
    const response = await raw(server, '/', { headers: { host: `evil.example:${server.port}` } });
    expect(response.status).toBe(403);
  });

  it('refuses bodies over the limit and bodies that are not JSON', async () => {
    const big = await raw(server, '/api/call/app.info', { method: 'POST', headers: json(), body: JSON.stringify({ input: 'x'.repeat(9 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    const form = await raw(server, '/api/call/app.info', { method: 'POST', headers: json({ 'content-type': 'application/x-www-form-urlencoded' }), body: 'a=1' });
    expect(form.status).toBe(400);
    const broken = await raw(server, '/api/call/app.info', { method: 'POST', headers: json(), body: '{"a":' });
    expect(JSON.parse(broken.body).error.code).toBe('BAD_INPUT');
  });

  it('serves the UI with security headers, and never a file outside its folder', async () => {
    const index = await raw(server, '/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('WasmForge');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['x-frame-options']).toBe('DENY');
    const deepLink = await raw(server, '/runner');
    expect(deepLink.body).toContain('WasmForge');
    for (const path of ['/../wf-secret.txt', '/%2e%2e/wf-secret.txt', '/assets/..%2f..%2fwf-secret.txt']) {
      const response = await raw(server, path);
      expect(response.body).not.toContain('secret');
    }
  });

  it('gzips assets for clients that take it and caches hashed ones for good', async () => {
    const response = await raw(server, '/assets/app-1234.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['cache-control']).toContain('immutable');
  });

  it('says what to do when the UI is not built', async () => {
    const bare = await startApiServer({ dispatcher: createDispatcher(apiRoutes, handlers), rendererDir: join(ui, 'missing') });
    try {
      const response = await raw(bare, '/');
      expect(response.status).toBe(503);
      expect(response.body).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });

  it('tells a client that used the wrong endpoint for a stream route', async () => {
    const response = await raw(server, '/api/call/runs.run', { method: 'POST', headers: json(), body: '{}' });
    expect(JSON.parse(response.body).error.message).toContain('/api/stream/');
  });

  it('caps the calls under way with a typed error, lets a cancel through, and takes calls again after', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = 0;
    const slow = {
      'app.info': async () => {
        entered += 1;
        await gate;
        return handlers['app.info']({} as never, {} as never);
      },
    } as unknown as ApiHandlers;
    const busy = await startApiServer({ dispatcher: createDispatcher(apiRoutes, slow), maxInFlight: 2 });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${busy.token}` };
    const callInfo = () => raw(busy, '/api/call/app.info', { method: 'POST', headers, body: '{}' });
    try {
      const first = [callInfo(), callInfo()];
      await vi.waitFor(() => expect(entered).toBe(2));
      const refused = await callInfo();
      expect(refused.status).toBe(429);
      expect(JSON.parse(refused.body).error).toMatchObject({ code: 'BUSY', message: expect.stringMatching(/Too many requests at once/) });
      const cancel = await raw(busy, '/api/cancel', { method: 'POST', headers, body: '{"callId":"none"}' });
      expect(cancel.status).toBe(200);
      release();
      expect((await Promise.all(first)).map((response) => response.status)).toEqual([200, 200]);
      expect((await callInfo()).status).toBe(200);
    } finally {
      release();
      await busy.close();
    }
  });
});
