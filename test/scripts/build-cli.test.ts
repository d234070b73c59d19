import { statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFromFile } from 'electron-vite';
import { describe, expect, it } from 'vitest';
import { buildCliIfStale, changedInput, cliStaleness, recordInputs, REPO_ROOT } from '../../scripts/build-cli.js';

describe('the build of the CLI and the sandbox worker', () => {
  it('is shared by the electron-vite config, which electron-vite can load (it bundles the config and the script with it)', async () => {
    // A shebang in scripts/build-cli.js once made this fail: electron-vite puts its own lines first.
    const { config, dependencies } = await loadConfigFromFile({ command: 'build', mode: 'production' }, 'electron.vite.config.ts', REPO_ROOT, 'silent');
    expect(dependencies.some((file) => file.endsWith('build-cli.js'))).toBe(true);
    const main = typeof config.main === 'function' ? undefined : config.main;
    expect(main?.plugins?.flat().some((plugin) => plugin && 'name' in plugin && plugin.name === 'wasmforge-sandbox-worker')).toBe(true);
  });

  it('is stale once a file it was built from changes, and current again once rebuilt', async () => {
    await buildCliIfStale(() => undefined);
    expect(cliStaleness()).toBeUndefined();
    // The build script is one of its inputs: touched (content unchanged), the bundle no longer matches it.
    const script = join(REPO_ROOT, 'scripts', 'build-cli.js');
    const { atimeMs, mtimeMs } = statSync(script);
    utimesSync(script, atimeMs / 1000, mtimeMs / 1000 + 1);
    try {
      expect(cliStaleness()).toBe('scripts/build-cli.js changed since it was built');
    } finally {
      utimesSync(script, atimeMs / 1000, mtimeMs / 1000);
    }
    expect(cliStaleness()).toBeUndefined();
  });

  it('takes an input that does not exist (no lockfile, say) as unchanged while it stays absent', () => {
    // Recorded as a time it could never have, it made every start rebuild the CLI.
    const recorded = recordInputs(['no-such-input.lock', 'scripts/build-cli.js'], Date.now() + 60_000);
    expect(recorded['no-such-input.lock']).toBeNull();
    expect(changedInput(recorded)).toBeUndefined();
    expect(changedInput({ ...recorded, 'no-such-input.lock': 0 })).toBe('no-such-input.lock');
  });
});
