import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

// Issue #10: `run --timeout S` is the user's own choice over their settings, and it is the time the
// run may take: the compute time rises with it instead of stopping the plugin at its old value.
const home = mkdtempSync(join(tmpdir(), 'wasmforge-cli-limits-'));
writeFileSync(join(home, 'settings.json'), JSON.stringify({ version: 1, sandbox: { limits: { wallTimeMs: 1000, computeTimeMs: 1000 } } }));
const computes = join(home, 'computes.py');
writeFileSync(computes, 'import time\nfrom platform_sdk import send_output\nstart = time.time()\nwhile time.time() - start < 2: pass\nsend_output("computed")');

const cli = (args: string[]) => execa('node', ['bin/wasmforge.js', ...args], {
  reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, OLLAMA_HOST: 'http://127.0.0.1:9' }, timeout: 60_000,
});

describe('wasmforge run --timeout', () => {
  it('raises the settings\' wall and compute time for this run: two seconds of computing finish under --timeout 6', async () => {
    const result = await cli(['run', computes, '--timeout', '6', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, output: 'computed' });
    expect(result.exitCode).toBe(0);
  });

  it('without it, the settings\' one second stops the same plugin', async () => {
    const result = await cli(['run', computes, '--json']);
    expect(['TIMEOUT', 'COMPUTE_LIMIT']).toContain(JSON.parse(result.stdout).error?.code);
    expect(result.exitCode).toBe(1);
  });
});
