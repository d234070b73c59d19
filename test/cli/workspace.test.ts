import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = join(process.cwd(), 'bin', 'wasmforge.js');
let home: string;
let work: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-workspace-'));
  work = await mkdtemp(join(tmpdir(), 'wf-cli-folders-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

// stdin is not a terminal here, as in any script: deleting needs --yes.
const wasmforge = (...args: string[]) => execa(process.execPath, [bin, ...args], { cwd: work, reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home } });
const manifestName = async (dir: string) => (JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')) as { name: string }).name;

describe('wasmforge rename and rm', () => {
  it('renames and deletes a plugin folder', async () => {
    expect((await wasmforge('init', 'greeter')).exitCode).toBe(0);
    const renamed = await wasmforge('rename', './greeter', 'welcomer');
    expect([renamed.exitCode, renamed.stdout]).toEqual([0, `renamed ./greeter to welcomer (${join(work, 'welcomer')})`]);
    expect(await manifestName(join(work, 'welcomer'))).toBe('welcomer');
    expect(existsSync(join(work, 'greeter'))).toBe(false);

    const unasked = await wasmforge('rm', 'welcomer');
    expect([unasked.exitCode, unasked.stderr]).toEqual([2, expect.stringContaining('add --yes')]);
    expect(existsSync(join(work, 'welcomer'))).toBe(true);
    expect((await wasmforge('rm', 'welcomer', '--yes')).stdout).toBe('deleted welcomer');
    expect(existsSync(join(work, 'welcomer'))).toBe(false);
  });

  it('renames and deletes a plugin of the app\'s workspace by name, as the Builder does', async () => {
    const workspace = join(home, 'workspace');
    expect((await wasmforge('init', join(workspace, 'summary'))).exitCode).toBe(0);
    expect((await wasmforge('rename', 'summary', 'digest')).stdout).toBe('renamed summary to digest');
    expect(await manifestName(join(workspace, 'digest'))).toBe('digest');
    expect(existsSync(join(workspace, 'summary'))).toBe(false);

    expect((await wasmforge('init', join(workspace, 'other'))).exitCode).toBe(0);
    const clash = await wasmforge('rename', 'digest', 'other');
    expect([clash.exitCode, clash.stderr]).toEqual([1, expect.stringContaining('error ALREADY_EXISTS')]);
    const badName = await wasmforge('rename', 'digest', 'Not A Name');
    expect([badName.exitCode, badName.stderr]).toEqual([2, expect.stringContaining('error BAD_INPUT')]);

    expect((await wasmforge('rm', 'digest')).exitCode).toBe(2);
    expect((await wasmforge('delete', 'digest', '-y')).stdout).toBe('deleted digest');
    expect(existsSync(join(workspace, 'digest'))).toBe(false);
    const gone = await wasmforge('rm', 'digest', '--yes');
    expect([gone.exitCode, gone.stderr]).toEqual([1, expect.stringContaining('error NOT_FOUND: No workspace plugin "digest"')]);
    expect(existsSync(join(workspace, 'other'))).toBe(true);
  });

  it('never deletes a folder that is not a plugin', async () => {
    const notes = join(work, 'notes');
    await mkdir(notes);
    await writeFile(join(notes, 'keep.txt'), 'mine');
    const result = await wasmforge('rm', notes, '--yes');
    expect([result.exitCode, result.stderr]).toEqual([1, expect.stringContaining('error NOT_FOUND')]);
    expect(await readFile(join(notes, 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('init refuses a name or tags given on the command line as a usage error, naming the rule; nothing is written', async () => {
    const badName = await wasmforge('init', 'x3', '--name', 'Bad Name');
    expect([badName.exitCode, badName.stderr.trim()]).toEqual([2, 'error BAD_INPUT: "Bad Name" is not a valid plugin name: Use 2–64 lowercase letters and digits, words joined by single dashes, starting with a letter (e.g. "text-summary")']);
    const badTag = await wasmforge('init', 'x3', '--tags', 'ok,Bad Tag');
    expect([badTag.exitCode, badTag.stderr]).toEqual([2, expect.stringContaining('error BAD_INPUT: --tags: "Bad Tag": Tags are short lowercase words')]);
    expect(badTag.stderr).not.toContain('plugin.json');
    expect(existsSync(join(work, 'x3'))).toBe(false);
  });
});
