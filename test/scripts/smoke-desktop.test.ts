import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/smoke-desktop.js', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'wasmforge-smoke-script-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the script where no Electron binary can be had, whatever this machine has installed. */
function smoke(env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [script], {
    encoding: 'utf8', timeout: 60_000,
    env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron'), ELECTRON_EXEC_PATH: '', ...env },
  });
}

describe('npm run smoke:desktop', () => {
  it('is a script of package.json', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts['smoke:desktop']).toBe('node scripts/smoke-desktop.js');
  });

  it('without an Electron binary, skips with the reason and how to run it, and exits 0 without building anything', () => {
    const result = smoke({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1', DISPLAY: ':99' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe('smoke:desktop: SKIPPED (not run, not passed): no Electron binary is installed here and ELECTRON_SKIP_BINARY_DOWNLOAD is set. '
      + 'To run it: unset ELECTRON_SKIP_BINARY_DOWNLOAD and run npm start again to download it (Node.js 22.12+).');
  });

  it.runIf(process.platform === 'linux')('without a display, says so', () => {
    const result = smoke({ DISPLAY: '', WAYLAND_DISPLAY: '' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^smoke:desktop: SKIPPED \(not run, not passed\): there is no display/);
  });
});
