import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { appArmorHint, atLeast, electronBinary, planDesktop, type PlanContext } from '../../scripts/electron-binary.js';

// planDesktop against a scratch "repository" whose node_modules/electron has no binary until a
// stand-in installer writes one, as Electron 45's install.js does (dist/<path.txt>).
const scratch = mkdtempSync(join(tmpdir(), 'wasmforge-electron-binary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let root: string;
let n = 0;
beforeEach(() => {
  root = join(scratch, `repo-${n++}`);
  mkdirSync(join(root, 'node_modules', 'electron'), { recursive: true });
});

/** What install.js leaves behind: path.txt and the executable under dist/. */
function installFake(at: string): number {
  const pkg = join(at, 'node_modules', 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'dist', 'electron'), '');
  writeFileSync(join(pkg, 'path.txt'), 'electron');
  return 0;
}

const context = (overrides: Partial<PlanContext> = {}): PlanContext => ({
  root, env: { DISPLAY: ':0' }, platform: 'linux', nodeVersion: 'v22.12.0', install: vi.fn(() => 1), log: () => undefined, ...overrides,
});

describe('npm start: the Electron binary', () => {
  it('uses an installed binary without running the installer', () => {
    installFake(root);
    const install = vi.fn(() => 0);
    expect(planDesktop(context({ install }))).toEqual({ binary: join(root, 'node_modules', 'electron', 'dist', 'electron') });
    expect(install).not.toHaveBeenCalled();
  });

  it('installs it on first use, then opens the window with it', () => {
    const install = vi.fn(installFake);
    const lines: string[] = [];
    expect(planDesktop(context({ install, log: (line) => lines.push(line) }))).toEqual({ binary: join(root, 'node_modules', 'electron', 'dist', 'electron') });
    expect(install).toHaveBeenCalledWith(root);
    expect(lines.join('\n')).toMatch(/downloading the Electron binary/);
  });

  it('does not download for a machine without a display', () => {
    const install = vi.fn(installFake);
    const plan = planDesktop(context({ env: {}, install }));
    expect(plan).toMatchObject({ reason: expect.stringMatching(/no display/) });
    // npm start prints it after "For the desktop window: ", so it says the window no second time.
    expect(plan).toHaveProperty('fix', 'run npm start in a desktop session');
    expect(install).not.toHaveBeenCalled();
    // macOS and Windows always have one.
    expect(planDesktop(context({ env: {}, platform: 'darwin', install }))).toHaveProperty('binary');
  });

  it('honours ELECTRON_SKIP_BINARY_DOWNLOAD, which Electron 45’s installer ignores', () => {
    const install = vi.fn(installFake);
    const plan = planDesktop(context({ env: { DISPLAY: ':0', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, install }));
    expect(plan).toEqual({ reason: expect.stringMatching(/ELECTRON_SKIP_BINARY_DOWNLOAD is set/), fix: expect.stringMatching(/unset ELECTRON_SKIP_BINARY_DOWNLOAD/) });
    expect(install).not.toHaveBeenCalled();
    expect(planDesktop(context({ env: { DISPLAY: ':0', ELECTRON_SKIP_BINARY_DOWNLOAD: '0' }, install }))).toHaveProperty('binary');
  });

  it('says that the installer needs Node.js 22.12+ instead of running it on an older Node', () => {
    const install = vi.fn(installFake);
    const plan = planDesktop(context({ nodeVersion: 'v20.19.5', install }));
    expect(plan).toEqual({
      reason: expect.stringContaining('needs Node.js 22.12.0 or newer (this is Node.js 20.19.5)'),
      fix: expect.stringMatching(/install Node\.js 22\.12\+.*browser version and the CLI need only Node\.js 20\.19\+/),
    });
    expect(install).not.toHaveBeenCalled();
  });

  it('falls back with the reason and the fix when the download fails', () => {
    const plan = planDesktop(context({ install: () => 1 }));
    expect(plan).toEqual({ reason: expect.stringContaining('downloading it failed (Electron\'s installer exited with 1)'), fix: expect.stringMatching(/internet connection or proxy/) });
    expect(planDesktop(context({ install: () => 0 }))).toMatchObject({ reason: expect.stringMatching(/left no binary/) });
  });

  it('takes ELECTRON_EXEC_PATH (what electron-vite reads) as the binary, and says when it is wrong', () => {
    const exec = join(root, 'my-electron');
    writeFileSync(exec, '');
    expect(electronBinary(root, { ELECTRON_EXEC_PATH: exec })).toBe(exec);
    const install = vi.fn(installFake);
    expect(planDesktop(context({ env: { DISPLAY: ':0', ELECTRON_EXEC_PATH: join(root, 'nothing') }, install }))).toMatchObject({ reason: expect.stringMatching(/ELECTRON_EXEC_PATH names .*does not exist/) });
    expect(install).not.toHaveBeenCalled();
  });

  it('compares Node versions numerically', () => {
    expect(atLeast('v22.12.0', '22.12.0')).toBe(true);
    expect(atLeast('v22.9.9', '22.12.0')).toBe(false);
    expect(atLeast('v24.0.0', '22.12.0')).toBe(true);
    expect(atLeast('v20.19.0', '22.12.0')).toBe(false);
  });
});

describe('npm start: the AppArmor restriction (Ubuntu 24.04)', () => {
  const binary = '/repo/node_modules/electron/dist/electron';
  const restricted = (value: string) => (path: string) => {
    expect(path).toBe('/proc/sys/kernel/apparmor_restrict_unprivileged_userns');
    return `${value}\n`;
  };

  it('says how to make the sandbox helper setuid when unprivileged user namespaces are restricted', () => {
    const hint = appArmorHint(binary, 'linux', restricted('1'), () => ({ uid: 1000, mode: 0o100755 }));
    expect(hint).toContain('sudo chown root:root /repo/node_modules/electron/dist/chrome-sandbox && sudo chmod 4755 /repo/node_modules/electron/dist/chrome-sandbox');
    expect(hint).toContain('Never run the app with --no-sandbox');
  });

  it('stays quiet when it does not apply', () => {
    expect(appArmorHint(binary, 'linux', restricted('0'))).toBeUndefined();
    expect(appArmorHint(binary, 'linux', () => { throw new Error('ENOENT'); })).toBeUndefined();
    expect(appArmorHint(binary, 'linux', restricted('1'), () => ({ uid: 0, mode: 0o104755 }))).toBeUndefined();
    expect(appArmorHint(binary, 'darwin', restricted('1'))).toBeUndefined();
  });
});
