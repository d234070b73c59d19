import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverToken } from '../../src/cli/commands/serve.ts';
import { WasmForgeError } from '../../src/shared/errors.ts';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-serve-token-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

const settingsToken = 'from-settings-0123456789';
const useSettings = (token: string) => writeFile(join(home, 'settings.json'), JSON.stringify({ server: { token } }));

async function refusal(promise: Promise<unknown>): Promise<WasmForgeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WasmForgeError);
  return error as WasmForgeError;
}

describe('the token of wasmforge serve', () => {
  it('is WASMFORGE_TOKEN, else the one in the settings, else none (a random one per start)', async () => {
    await rm(join(home, 'settings.json'), { force: true });
    expect(await serverToken(home, {})).toBeUndefined();
    await useSettings(settingsToken);
    expect(await serverToken(home, {})).toBe(settingsToken);
    expect(await serverToken(home, { WASMFORGE_TOKEN: 'from-the-environment-42' })).toBe('from-the-environment-42');
  });

  it('must be at least 16 characters the sign-in URL can carry, wherever it comes from', async () => {
    await useSettings(settingsToken);
    expect((await refusal(serverToken(home, { WASMFORGE_TOKEN: 'short' }))).message).toContain('WASMFORGE_TOKEN');
    expect((await refusal(serverToken(home, { WASMFORGE_TOKEN: 'sixteen-chars-#-more' }))).code).toBe('BAD_INPUT');
    await useSettings('short');
    expect((await refusal(serverToken(home, {}))).message).toContain('server.token');
  });

  it('signs in with the token from the settings, and refuses to start with a bad one (exit 2)', async () => {
    await useSettings('short');
    const refused = await execa(process.execPath, ['bin/wasmforge.js', 'serve', '--port', '0'], { reject: false, env: { WASMFORGE_HOME: home, WASMFORGE_TOKEN: '' }, timeout: 60_000 });
    expect([refused.exitCode, refused.stderr]).toEqual([2, expect.stringContaining('server.token')]);

    await useSettings(settingsToken);
    const server = execa(process.execPath, ['bin/wasmforge.js', 'serve', '--port', '0', '--ai', 'test'], {
      reject: false, env: { WASMFORGE_HOME: home, WASMFORGE_TOKEN: '' }, timeout: 120_000,
    });
    try {
      const signIn = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const match = /Open (http:\/\/\S+)\/#token=(\S+)/.exec(out);
          if (match) resolve(`${match[1]} ${match[2]}`);
        });
        server.then((result) => reject(new Error(`serve ended: ${result.stderr}`)), reject);
      });
      const [url, token] = signIn.split(' ');
      expect(token).toBe(settingsToken);
      const call = (bearer: string) => fetch(`${url}/api/call/app.info`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: '{}' });
      expect(await (await call(settingsToken)).json()).toMatchObject({ ok: true, data: { host: 'server' } });
      expect(await (await call('not-the-token-at-all')).json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    } finally {
      server.kill('SIGTERM');
      await server;
    }
  });

  it('bound to every interface (--host 0.0.0.0), gives a URL a browser here can open, and says it listens on all interfaces', async () => {
    await rm(join(home, 'settings.json'), { force: true });
    const server = execa(process.execPath, ['bin/wasmforge.js', 'serve', '--host', '0.0.0.0', '--port', '0', '--ai', 'test'], {
      reject: false, env: { WASMFORGE_HOME: home, WASMFORGE_TOKEN: '' }, timeout: 120_000,
    });
    try {
      const open = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
          const match = /^Open (\S+)$/m.exec(out);
          if (match) resolve(match[1]!);
        });
        server.then((result) => reject(new Error(`serve ended: ${result.stderr}`)), reject);
      });
      const url = new URL(open);
      expect(url.hostname).toBe('127.0.0.1');
      expect((await fetch(new URL('/api/health', url))).status).toBe(200);
    } finally {
      server.kill('SIGTERM');
    }
    const { stderr } = await server;
    expect(stderr).toMatch(/listening on all network interfaces \(0\.0\.0\.0\), port \d+/);
  });

  it('says which port it cannot take, with the fix, and exits 1', async () => {
    await rm(join(home, 'settings.json'), { force: true });
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = taken.address() as AddressInfo;
      const refused = await execa(process.execPath, ['bin/wasmforge.js', 'serve', '--port', String(port), '--ai', 'test'], {
        reject: false, env: { WASMFORGE_HOME: home, WASMFORGE_TOKEN: '' }, timeout: 120_000,
      });
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(`error BAD_INPUT: Cannot listen on 127.0.0.1:${port}: the port is in use`);
      expect(refused.stderr).toContain('hint: Try --port 0');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
