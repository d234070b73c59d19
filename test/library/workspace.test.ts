import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deletePlugin, initPlugin, listWorkspace, openPlugin, renamePlugin, saveCode, saveManifest, slugify } from '../../src/library/workspace.ts';
import { tempHome } from '../marketplace/helpers.ts';

let root: { path: string; remove: () => Promise<void> };
beforeEach(async () => {
  root = await tempHome('workspace');
});
afterEach(async () => {
  await root.remove();
});

describe('plugin folders', () => {
  it('creates plugin.py, a valid plugin.json and tests/, named after the folder', async () => {
    const plugin = await initPlugin(join(root.path, 'My Summary Tool'));
    expect(plugin.manifest).toMatchObject({ name: 'my-summary-tool', version: '0.1.0', inputType: 'text', models: ['qwen2.5:1.5b'] });
    expect((await readdir(plugin.dir)).sort()).toEqual(['plugin.json', 'plugin.py', 'tests']);
    expect(await readFile(join(plugin.dir, 'plugin.py'), 'utf8')).toContain('from platform_sdk import');
    expect(await openPlugin(plugin.dir)).toEqual(plugin);
  });

  // Found by use (new-user trial): `init --input-type file` kept the text hint, and the Runner read "Input file (Paste the text to summarize)".
  it("gives the starter's input hint for the input type chosen, unless one is given", async () => {
    const hints = await Promise.all((['text', 'file', 'json'] as const).map(async (inputType) => (await initPlugin(join(root.path, `hint-${inputType}`), { inputType })).manifest.inputHint));
    expect(hints).toEqual(['Paste the text to summarize', 'Choose the file to summarize', 'Paste the JSON to summarize']);
    expect((await initPlugin(join(root.path, 'hint-own'), { inputType: 'file', inputHint: 'A photo' })).manifest.inputHint).toBe('A photo');
  });

  it('never overwrites a folder that already has content', async () => {
    const dir = join(root.path, 'taken');
    await mkdir(dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await expect(initPlugin(dir)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('saves code and manifest, refusing an invalid manifest without touching the file', async () => {
    const plugin = await initPlugin(join(root.path, 'saver'), { inputType: 'json', inputHint: '{"a": 1}' });
    await saveCode(plugin.dir, 'print("é😀")\n');
    await expect(saveManifest(plugin.dir, { ...plugin.manifest, version: 'one' })).rejects.toMatchObject({ code: 'INVALID_MANIFEST' });
    const reopened = await openPlugin(plugin.dir);
    expect(reopened.code).toBe('print("é😀")\n');
    expect(reopened.manifest).toMatchObject({ version: '0.1.0', inputType: 'json', inputHint: '{"a": 1}' });
    expect((await readdir(plugin.dir)).filter((file) => file.endsWith('.tmp'))).toEqual([]);
  });

  it('renames the plugin and its folder when the folder carries its name', async () => {
    const plugin = await initPlugin(join(root.path, 'old-name'));
    const renamed = await renamePlugin(plugin.dir, 'new-name');
    expect(renamed.dir).toBe(join(root.path, 'new-name'));
    expect((await openPlugin(renamed.dir)).manifest.name).toBe('new-name');
    await expect(renamePlugin(renamed.dir, 'Bad Name')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('deletes only real plugin folders and lists the workspace', async () => {
    await initPlugin(join(root.path, 'keep-me'));
    const gone = await initPlugin(join(root.path, 'delete-me'));
    await mkdir(join(root.path, 'not-a-plugin'));
    await expect(deletePlugin(join(root.path, 'not-a-plugin'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await deletePlugin(gone.dir);
    expect((await listWorkspace(root.path)).map((plugin) => plugin.manifest.name)).toEqual(['keep-me']);
  });

  it('reports a broken plugin.json as INVALID_MANIFEST', async () => {
    const plugin = await initPlugin(join(root.path, 'broken'));
    await writeFile(join(plugin.dir, 'plugin.json'), '{ "name": ');
    await expect(openPlugin(plugin.dir)).rejects.toMatchObject({ code: 'INVALID_MANIFEST' });
  });

  it('slugifies folder names into valid plugin names', () => {
    expect(slugify('  Hello, World! 2 ')).toBe('hello-world-2');
    expect(slugify('123')).toBe('my-plugin');
  });
});
