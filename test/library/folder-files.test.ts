import { mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initPlugin, openPlugin, saveCode } from '../../src/library/workspace.ts';

const newDir = async () => join(await mkdtemp(join(tmpdir(), 'wf-folder-files-')), 'multi');

describe("a workspace plugin's other files", () => {
  it('are created, opened, and made exactly what a save says (a rename is a new path and an old one gone)', async () => {
    const dir = await newDir();
    const created = await initPlugin(dir, { code: 'import helpers\n', files: { 'helpers.py': 'X = 1\n', 'data/a/words.txt': 'w' } });
    expect(created.files).toEqual({ 'helpers.py': 'X = 1\n', 'data/a/words.txt': 'w' });
    expect((await openPlugin(dir)).files).toEqual(created.files);

    await saveCode(dir, 'import tools\n', { 'tools.py': 'X = 1\n' });
    const saved = await openPlugin(dir);
    expect(saved).toMatchObject({ code: 'import tools\n', files: { 'tools.py': 'X = 1\n' } });
    expect((await readdir(dir)).sort()).toEqual(['plugin.json', 'plugin.py', 'tests', 'tools.py']);

    await saveCode(dir, 'pass\n');
    expect((await openPlugin(dir)).files).toEqual({ 'tools.py': 'X = 1\n' });
  });

  it('leave out plugin.json, tests/, hidden files, __pycache__ and links', async () => {
    const dir = await newDir();
    await initPlugin(dir, { code: 'pass\n' });
    await writeFile(join(dir, '.env'), 'SECRET=1');
    await mkdir(join(dir, '__pycache__'));
    await writeFile(join(dir, '__pycache__', 'x.pyc'), '');
    await writeFile(join(dir, 'tests', 'case.json'), '{}');
    await symlink('/etc/passwd', join(dir, 'linked.txt'));
    expect((await openPlugin(dir)).files).toEqual({});
    await saveCode(dir, 'pass\n', {});
    expect(await readFile(join(dir, '.env'), 'utf8')).toBe('SECRET=1');
  });

  it('refuse a path out of the folder before writing anything', async () => {
    const dir = await newDir();
    await initPlugin(dir, { code: 'pass\n' });
    await expect(saveCode(dir, 'changed\n', { '../outside.py': 'x' })).rejects.toMatchObject({ code: 'INVALID_PLUGIN_FILES', details: { path: '../outside.py' } });
    await expect(saveCode(dir, 'changed\n', { 'plugin.py': 'x' })).rejects.toMatchObject({ code: 'INVALID_PLUGIN_FILES' });
    expect(await readFile(join(dir, 'plugin.py'), 'utf8')).toBe('pass\n');
    expect(await readdir(join(dir, '..'))).toEqual(['multi']);
  });
});
