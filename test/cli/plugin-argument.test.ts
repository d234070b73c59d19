import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN } from '../support/cli.ts';

// The real CLI, in a folder holding ./summarize while a plugin named summarize is installed (imported).
let home: string;
let work: string;
let elsewhere: string;

const wasmforge = (cwd: string, ...args: string[]) => execa(process.execPath, [CLI_BIN, ...args], {
  cwd, reject: false, stdin: 'ignore', timeout: 90_000, env: { WASMFORGE_HOME: home, DATABASE_URL: '', OLLAMA_HOST: 'http://127.0.0.1:9' },
});

async function pluginFolder(dir: string, output: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'plugin.py'), `from platform_sdk import send_output\nsend_output(${JSON.stringify(output)})\n`);
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name: 'summarize', version: '0.1.0', description: 'Summarizes', models: [] }));
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-argument-'));
  work = await mkdtemp(join(tmpdir(), 'wf-cli-argument-work-'));
  elsewhere = await mkdtemp(join(tmpdir(), 'wf-cli-argument-elsewhere-'));
  // The installed copy says "installed"; the folder here says "folder": the output tells which ran.
  await pluginFolder(join(elsewhere, 'summarize'), 'installed');
  const exported = await wasmforge(elsewhere, 'export', './summarize', '-o', 'summarize.wfplugin');
  expect(exported.exitCode, exported.stderr).toBe(0);
  await rm(join(elsewhere, 'summarize'), { recursive: true });
  const imported = await wasmforge(elsewhere, 'import', 'summarize.wfplugin', '--yes');
  expect(imported.exitCode, imported.stderr).toBe(0);
  await pluginFolder(join(work, 'summarize'), 'folder');
}, 120_000);

afterAll(async () => {
  for (const dir of [home, work, elsewhere]) await rm(dir, { recursive: true, force: true });
});

describe('a bare name that is both a folder here and an installed plugin', () => {
  it('is refused by run (exit 2, BAD_INPUT naming both, and how to say which), and nothing runs', async () => {
    const result = await wasmforge(work, 'run', 'summarize');
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error BAD_INPUT: "summarize" names both the folder ./summarize here and the installed plugin summarize 0.1.0\n'
      + 'hint: Use ./summarize for the folder, or summarize@0.1.0 for the installed plugin.',
    );
  });

  it('is refused by run --json with the failed run as one JSON object', async () => {
    const result = await wasmforge(work, 'run', 'summarize', '--json');
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      ok: false, output: '', error: { code: 'BAD_INPUT', hint: 'Use ./summarize for the folder, or summarize@0.1.0 for the installed plugin.' },
    });
  });

  it('runs the folder when the argument looks like a path, the installed plugin when it has a version', async () => {
    for (const path of ['./summarize', 'summarize/', join(work, 'summarize')]) {
      const result = await wasmforge(work, 'run', path);
      expect([result.exitCode, result.stdout], `${path}: ${result.stderr}`).toEqual([0, 'folder']);
    }
    const installed = await wasmforge(work, 'run', 'summarize@0.1.0');
    expect([installed.exitCode, installed.stdout], installed.stderr).toEqual([0, 'installed']);
  });

  it('is the installed plugin where no such folder is, and the folder where no such plugin is installed', async () => {
    const installed = await wasmforge(elsewhere, 'run', 'summarize');
    expect([installed.exitCode, installed.stdout], installed.stderr).toEqual([0, 'installed']);
    await pluginFolder(join(work, 'only-here'), 'only here');
    const folder = await wasmforge(work, 'run', 'only-here');
    expect([folder.exitCode, folder.stdout, folder.stderr]).toEqual([0, 'only here', '']);
  });

  it('is refused by export too; summarize@0.1.0 exports the installed copy to summarize.wfplugin', async () => {
    const refused = await wasmforge(work, 'export', 'summarize');
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('error BAD_INPUT: "summarize" names both the folder ./summarize here and the installed plugin summarize 0.1.0');
    expect(existsSync(join(work, 'summarize.wfplugin'))).toBe(false);

    const exported = await wasmforge(work, 'export', 'summarize@0.1.0');
    expect(exported.exitCode, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^exported summarize@0\.1\.0 to summarize\.wfplugin /);
    const wrongVersion = await wasmforge(work, 'export', 'summarize@0.2.0', '-o', 'other.wfplugin');
    expect([wrongVersion.exitCode, wrongVersion.stderr]).toEqual([1, expect.stringContaining('error NOT_FOUND: summarize@0.2.0 is not installed (installed: 0.1.0)')]);
    expect(existsSync(join(work, 'other.wfplugin'))).toBe(false);
  });
});

// A version that is not installed may exist nowhere: the hint offers what is here first (new-user trial).
describe('name@version when that version is not installed', () => {
  it('run names the version installed, and installing the other only if the marketplace has it', async () => {
    const result = await wasmforge(elsewhere, 'run', 'summarize@0.2.0');
    expect([result.exitCode, result.stdout]).toEqual([1, '']);
    expect(result.stderr).toBe(
      'error NOT_FOUND: summarize@0.2.0 is not installed (installed: 0.1.0)\n'
      + 'hint: Run summarize@0.1.0 (installed), or install 0.2.0 with `wasmforge install summarize@0.2.0` if the marketplace has it.',
    );
  });

  it('with nothing installed, run and export name the folder of that name here', async () => {
    await pluginFolder(join(work, 'drafted'), 'drafted');
    const run = await wasmforge(work, 'run', 'drafted@0.1.0');
    expect([run.exitCode, run.stdout]).toEqual([1, '']);
    expect(run.stderr).toBe(
      'error NOT_FOUND: drafted@0.1.0 is not installed\n'
      + 'hint: ./drafted is a folder here: run ./drafted; or install it with `wasmforge install drafted@0.1.0` if the marketplace has it.',
    );
    const exported = await wasmforge(work, 'export', 'drafted@0.1.0');
    expect(exported.exitCode).toBe(1);
    expect(exported.stderr).toContain('hint: ./drafted is a folder here: export ./drafted; or install it with `wasmforge install drafted@0.1.0`');
    expect((await wasmforge(elsewhere, 'run', 'drafted@0.1.0')).stderr).toContain('hint: Install it with `wasmforge install drafted@0.1.0` if the marketplace has it.');
  });
});
