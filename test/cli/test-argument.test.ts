import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The real CLI: what `wasmforge test` takes as its plugin (found by a new user's trial).
const bin = join(process.cwd(), 'bin', 'wasmforge.js');
let home: string;
let work: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-test-arg-'));
  work = await mkdtemp(join(tmpdir(), 'wf-cli-test-arg-work-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

const wasmforge = (...args: string[]) => execa(process.execPath, [bin, ...args], { cwd: work, reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home }, timeout: 90_000 });

/** A plugin folder that echoes its input, with one passing case. */
async function echoPlugin(dir: string): Promise<void> {
  await mkdir(join(dir, 'tests'), { recursive: true });
  await writeFile(join(dir, 'plugin.py'), 'from platform_sdk import get_input, send_output\nsend_output(get_input())\n');
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name: 'echo-plug', version: '0.1.0', models: [] }));
  await writeFile(join(dir, 'tests', 'echo.json'), JSON.stringify({ input: 'hi', ai: [], expect: { output: 'hi' } }));
}

describe('wasmforge test <plugin>', () => {
  it('given the plugin.py of a folder, runs that folder\'s cases; another file is refused as no plugin folder (exit 2)', async () => {
    await echoPlugin(join(work, 'echo-plug'));
    const byFile = await wasmforge('test', 'echo-plug/plugin.py');
    expect(byFile.stderr).not.toContain('no test cases');
    expect([byFile.exitCode, byFile.stdout]).toEqual([0, expect.stringMatching(/✓ echo .*\n\n1 passed, 0 failed$/)]);

    await writeFile(join(work, 'echo-plug', 'helper.py'), 'x = 1\n');
    const other = await wasmforge('test', 'echo-plug/helper.py');
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain('error: test needs a plugin folder (plugin.py, plugin.json, tests/) or a workspace plugin\'s name, not the file echo-plug/helper.py');
  });

  it("takes a workspace plugin's name, as rename and rm do: runs and updates its cases; a name of none is NOT_FOUND", async () => {
    const dir = join(home, 'workspace', 'shouter');
    await echoPlugin(dir);
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name: 'shouter', version: '0.1.0', models: [] }));
    await writeFile(join(dir, 'plugin.py'), 'from platform_sdk import get_input, send_output\nsend_output(get_input().upper())\n');
    const failing = await wasmforge('test', 'shouter');
    expect(failing.stderr).not.toContain('No plugin at shouter');
    expect([failing.exitCode, failing.stdout]).toEqual([1, expect.stringContaining('+ HI\n')]);

    const updated = await wasmforge('test', 'shouter', '--update');
    expect([updated.exitCode, updated.stdout]).toEqual([0, expect.stringContaining('updated 1 case\n  echo.json')]);
    expect(JSON.parse(await readFile(join(dir, 'tests', 'echo.json'), 'utf8'))).toMatchObject({ expect: { output: 'HI' } });
    expect((await wasmforge('test', 'shouter')).exitCode).toBe(0);

    const none = await wasmforge('test', 'whisperer');
    expect([none.exitCode, none.stderr]).toEqual([1, expect.stringContaining('error NOT_FOUND: No workspace plugin "whisperer"')]);
  });

  it('indents the issues of a case file that is not valid under their header', async () => {
    await echoPlugin(join(work, 'typo'));
    await writeFile(join(work, 'typo', 'tests', 'typo.json'), JSON.stringify({ input: 'hi', ai: [], expect: { outptu: 'hi' } }));
    const result = await wasmforge('test', 'typo');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('✗ typo (');
    expect(result.stdout).toContain('\n    INVALID_TEST_CASE: typo.json is not a valid test case:\n      expect: unknown field "outptu"\n');
  });
});
