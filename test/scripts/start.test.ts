import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

const startScript = fileURLToPath(new URL('../../scripts/start.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'wasmforge-start-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm start', () => {
  it('without an Electron binary it may fetch, says why and how to fix it, and serves the app to the browser behind a sign-in URL', async () => {
    const child = spawn(process.execPath, [startScript, '--port', '0', '--ai', 'test'], {
      // A display, but an empty dist folder and downloads refused: no Electron binary, whatever this machine has.
      env: {
        ...process.env, WASMFORGE_HOME: join(scratch, 'home'), ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron'),
        ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_EXEC_PATH: '', DISPLAY: ':99', WAYLAND_DISPLAY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let origin = '';
    try {
      await vi.waitFor(() => expect(out).toMatch(/#token=/), { timeout: 60_000, interval: 100 });
      expect(out).toContain('starting the browser version, because no Electron binary is installed here and ELECTRON_SKIP_BINARY_DOWNLOAD is set');
      expect(out).toContain('For the desktop window: unset ELECTRON_SKIP_BINARY_DOWNLOAD');
      expect(out).toContain(`Its plugins and settings are kept in ${join(scratch, 'home')} (WASMFORGE_HOME)`);
      const [, signInOrigin, token] = /Open (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/.exec(out) ?? [];
      origin = signInOrigin!;
      // The URL's token is the one the API wants.
      const call = (authorization: string) => fetch(`${origin}/api/call/app.info`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{}',
      });
      expect((await call(`Bearer ${token}`)).status).toBe(200);
      expect((await call('Bearer wrong-token-wrong-token')).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    // The server went with it: npm start forwards the signal to `wasmforge serve`.
    await expect(fetch(`${origin}/api/health`)).rejects.toThrow();
  });
});
