import { execa } from 'execa';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, tempHome, type TestDatabase } from './helpers.ts';

const bin = fileURLToPath(new URL('../../bin/wasmforge.js', import.meta.url));
let home: { path: string; remove: () => Promise<void> };
let database: TestDatabase | undefined;

beforeAll(async () => {
  home = await tempHome('cli');
});
afterAll(async () => {
  await home?.remove();
  await database?.drop();
});

function wasmforge(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [bin, ...args], {
    cwd: home.path, reject: false, env: { WASMFORGE_HOME: home.path, DATABASE_URL: '', ...env },
  });
}

describe('wasmforge library and marketplace commands (local marketplace)', () => {
  // Sixteen CLI processes (each loads TypeScript and PGlite, publish also the sandbox): slow on a busy 2-core machine.
  it('init → publish → search → install → list → run <installed-name> → export/import → uninstall', { timeout: 180_000 }, async () => {
    expect((await wasmforge(['init', 'greeter', '--description', 'Greets people', '--tags', 'demo'])).exitCode).toBe(0);
    await writeFile(join(home.path, 'greeter', 'plugin.py'), 'from platform_sdk import get_input, send_output\nsend_output("hi " + get_input())\n');

    // A name's first publish is shown and asked; a script says --yes (exit 2 otherwise, nothing published).
    const unasked = await wasmforge(['publish', 'greeter']);
    expect([unasked.exitCode, unasked.stderr]).toEqual([2, expect.stringContaining('first publish of greeter: this becomes public')]);
    expect(unasked.stderr).toContain('The name stays yours for good');
    const published = await wasmforge(['publish', 'greeter', '--yes']);
    expect(published.stdout).toMatch(/^published greeter@0\.1\.0 to local, signed by SHA256:/);
    const again = await wasmforge(['publish', 'greeter']);
    expect([again.exitCode, again.stderr]).toEqual([1, expect.stringContaining('error VERSION_NOT_GREATER')]);

    const search = await wasmforge(['search', 'greets', '--json']);
    expect(JSON.parse(search.stdout)).toMatchObject({ total: 1, offline: null, items: [{ name: 'greeter', tags: ['demo'] }] });
    // Consent: in a script nothing is asked and nothing installed without --yes; what is consented to is shown first.
    const notAsked = await wasmforge(['install', 'greeter']);
    expect([notAsked.exitCode, notAsked.stderr]).toEqual([2, expect.stringContaining('add --yes')]);
    expect((await wasmforge(['list'])).stdout).toMatch(/no plugins installed/);
    const installed = await wasmforge(['install', 'greeter', '--yes']);
    expect(installed.stdout).toMatch(/^installed greeter@0\.1\.0/);
    expect(installed.stderr).toMatch(/greeter 0\.1\.0 by \S+, key SHA256:\S+ \(signature verified\)\n {2}Greets people\n {2}models it may call: none\n/);
    // The local marketplace's owner is this machine's user, as search and install say: not PGlite's role `postgres`.
    const listed = (await wasmforge(['list'])).stdout;
    expect(listed).toMatch(/greeter\s+0\.1\.0\s+you\s+marketplace\s+ok/);
    expect(listed).not.toContain('postgres');

    // Another folder, so "greeter" can only mean the installed plugin.
    const run = await execa(process.execPath, [bin, 'run', 'greeter', '--input', 'there'], {
      cwd: '/', reject: false, env: { WASMFORGE_HOME: home.path, DATABASE_URL: '' },
    });
    expect([run.exitCode, run.stdout]).toEqual([0, 'hi there']);
    const otherVersion = await wasmforge(['run', 'greeter@9.9.9', '--input', 'x']);
    expect([otherVersion.exitCode, otherVersion.stderr]).toEqual([1, expect.stringContaining('error NOT_FOUND: greeter@9.9.9 is not installed (installed: 0.1.0)')]);

    const bundle = join(home.path, 'greeter.wfplugin');
    // The folder ./greeter is here too: the version says the installed copy (a bare name is refused).
    expect((await wasmforge(['export', 'greeter@0.1.0', '-o', bundle])).exitCode).toBe(0);
    expect((await wasmforge(['uninstall', 'greeter'])).stdout).toBe('uninstalled greeter');
    expect((await wasmforge(['list'])).stdout).toMatch(/no plugins installed/);
    expect((await wasmforge(['import', bundle, '--yes'])).stdout).toMatch(/^imported greeter@0\.1\.0/);

    const tampered = JSON.parse(await readFile(bundle, 'utf8')) as { code: string };
    await writeFile(bundle, JSON.stringify({ ...tampered, code: 'import os\n' }));
    const refused = await wasmforge(['import', bundle]);
    expect([refused.exitCode, refused.stderr]).toEqual([1, expect.stringContaining('error TAMPERED')]);

    expect((await wasmforge(['yank', 'greeter@0.1.0', '--reason', 'superseded'])).stdout).toBe('yanked greeter@0.1.0');
    expect((await wasmforge(['unpublish', 'greeter'])).stdout).toBe('unpublished greeter');
    expect((await wasmforge(['search', 'greets'])).stdout).toBe('no plugins found');
  });

  it('reports a bad plugin name as a usage error (exit 2) with its typed error', async () => {
    const bad = await wasmforge(['install', 'Not A Name']);
    expect([bad.exitCode, bad.stderr]).toEqual([2, expect.stringContaining('error BAD_INPUT')]);
    expect((await wasmforge(['search', '--sort', 'sideways'])).exitCode).toBe(2);
  });
});

describe('wasmforge db (shared PostgreSQL marketplace)', () => {
  it('migrates, adds an author, and reports status as that author', async () => {
    database = await createTestDatabase();
    const migrated = await wasmforge(['db', 'migrate', '--url', database.adminUrl]);
    expect(migrated.stdout).toMatch(/applied 1, 2, 3/);
    // Piped, the URL with its random password is printed only when asked for by name.
    const added = await wasmforge(['db', 'add-author', `${database.name}_dora`, '--url', database.adminUrl, '--print-url-to-stdout']);
    const authorUrl = added.stdout.trim().split('\n').pop() ?? '';
    expect(authorUrl).toMatch(new RegExp(`^postgres://${database.name}_dora:`));
    const status = await wasmforge(['db', 'status', '--json'], { DATABASE_URL: authorUrl });
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, mode: 'shared', schema: 'current', user: `${database.name}_dora` });
    await database.admin.exec(`DROP ROLE "${database.name}_dora"`).catch(() => undefined);
  });
});
