import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';

// The real CLI: `import` shows the same consent as `install` and asks; in a script it needs --yes.
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-import-'));
});

function cli(...args: string[]) {
  return execa('node', ['bin/wasmforge.js', ...args], { env: { WASMFORGE_HOME: home, DATABASE_URL: '' }, input: '', reject: false, timeout: 90_000 });
}

describe('wasmforge import', () => {
  it('shows what the bundle declares and asks; without a terminal it needs --yes (exit 2), then installs', { timeout: 120_000 }, async () => {
    const dir = join(home, 'greeter');
    expect((await cli('init', dir, '--layout', 'multi', '--description', 'Greets people')).exitCode).toBe(0);
    const bundle = join(home, 'greeter.wfplugin');
    const exported = await cli('export', dir, '-o', bundle);
    expect(exported.exitCode, exported.stderr).toBe(0);

    const unasked = await cli('import', bundle);
    expect(unasked.exitCode).toBe(2);
    expect(unasked.stderr).toContain('models it may call: qwen2.5:1.5b');
    // Only the key is known about who signed it: said plainly, not as an owner ("by signed by").
    expect(unasked.stderr).toMatch(/^greeter 0\.1\.0, signed by key SHA256:[\w+/]+ \(the signature is valid; the key is not checked against a marketplace\)$/m);
    expect(unasked.stderr).toMatch(/files: plugin\.py \(\d+ lines?, [^)]+\), helpers\.py/);
    expect(unasked.stderr).toContain('add --yes');
    // The question is import's own, not install's.
    expect(unasked.stderr).toMatch(/^error: Import greeter@0\.1\.0: not asked, as stdin is not a terminal; add --yes/m);
    expect((await cli('list')).stdout).toMatch(/no plugins installed/);

    const imported = await cli('import', bundle, '--yes');
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(imported.stderr).toContain('models it may call: qwen2.5:1.5b');
    expect(imported.stdout).toMatch(/^imported greeter@0\.1\.0/);

    // list: the owner a bundle names is not believed, so none is shown; the key's state has its own column.
    const listed = await cli('list');
    const [header, row] = listed.stdout.split('\n').map((line) => line.split(/ {2,}/));
    expect(header).toEqual(['NAME', 'VERSION', 'OWNER', 'SOURCE', 'STATUS', 'KEY']);
    expect(row).toEqual(['greeter', '0.1.0', 'unknown', 'bundle', 'ok', expect.stringMatching(/^SHA256:\S{9}… \(not checked against a marketplace\)$/)]);
    expect(listed.stdout).not.toContain('signed by');
  });

  it('a file that is no bundle is a usage error, as any BAD_INPUT argument: exit 2, with its typed error', async () => {
    const notBundle = join(home, 'hostname');
    await writeFile(notBundle, 'my-machine\n');
    const refused = await cli('import', notBundle, '--yes');
    expect([refused.exitCode, refused.stderr]).toEqual([2, expect.stringContaining(`error BAD_INPUT: ${notBundle} is not a WasmForge bundle (not JSON)`)]);
  });
});
