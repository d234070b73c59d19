import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalDatabase } from '../../src/library/local-db.ts';
import { initPlugin, listWorkspace } from '../../src/library/workspace.ts';
import { tempHome } from '../marketplace/helpers.ts';

// A rename is two changes (the folder's name and the manifest's): a kill between them must not
// leave a folder named after one plugin that holds another (the app would no longer list it).
const fixture = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'rename-killed-after-move.ts');
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('a workspace rename killed half-way', () => {
  it('is finished when the data folder opens next: the folder and its manifest name the new plugin', async () => {
    const home = await tempHome('rename-crash');
    cleanup.push(home.remove);
    const workspace = join(home.path, 'workspace');
    await initPlugin(join(workspace, 'old-name'), { name: 'old-name', description: 'kept' });
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, join(workspace, 'old-name'), 'new-name'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    while (!output.includes('moved')) {
      if (child.exitCode !== null) throw new Error(`the renaming process exited with ${child.exitCode}`);
      await new Promise((done) => setTimeout(done, 20));
    }
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await readdir(workspace)).toEqual(['new-name']); // the kill came after the folder moved

    const local = await openLocalDatabase(home.path);
    await local.release();
    const plugins = await listWorkspace(workspace);
    expect(plugins.map((plugin) => [plugin.dir, plugin.manifest.name, plugin.manifest.description]))
      .toEqual([[join(workspace, 'new-name'), 'new-name', 'kept']]);
    expect(await readdir(join(workspace, 'new-name'))).toEqual(['plugin.json', 'plugin.py', 'tests']);
  }, 180_000);
});
