import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` (scripts/start.js) says where the browser version keeps its data; WASMFORGE_HOME is
// named as the reason only when it is set. A bad serve argument ends it right after the message.
const scratch = mkdtempSync(join(tmpdir(), 'wasmforge-start-home-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function start(extraEnv: Record<string, string>) {
  const { WASMFORGE_HOME: _unset, ...env } = process.env;
  return execa(process.execPath, ['scripts/start.js', '--port', 'not-a-port'], {
    reject: false, stdin: 'ignore', extendEnv: false, timeout: 60_000,
    // No Electron binary it may fetch, whatever this machine has: the browser version starts.
    env: {
      ...env, HOME: scratch, ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron'), ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      ELECTRON_EXEC_PATH: '', DISPLAY: ':99', WAYLAND_DISPLAY: '', ...extraEnv,
    },
  });
}

describe('npm start names the data folder', () => {
  it('without WASMFORGE_HOME: the default folder, and how to use another', async () => {
    const result = await start({});
    expect(result.stdout).toContain(`Its plugins and settings are kept in ${join(scratch, '.wasmforge')} (set WASMFORGE_HOME to use another folder), `);
    expect(result.exitCode).toBe(2);
  });

  it('with WASMFORGE_HOME: that folder, because of the variable', async () => {
    const result = await start({ WASMFORGE_HOME: join(scratch, 'home') });
    expect(result.stdout).toContain(`Its plugins and settings are kept in ${join(scratch, 'home')} (WASMFORGE_HOME), `);
  });
});
