import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { useServedApp } from './helpers/served-app.ts';
import { BuilderPage } from './pages/builder.ts';

const MAIN = 'from platform_sdk import get_input, read_plugin_file, send_output\nfrom helpers import shout\n\nsend_output(shout(get_input()) + " " + read_plugin_file("data/words.txt"))\n';
const HELPERS = 'def shout(text):\n    return text.upper() + "!"\n';

// Issue #13: a multi-file plugin in the Builder, in Chromium against `wasmforge serve`.
describe('the Builder with several files', () => {
  const served = useServedApp({ signIn: (page, app) => new BuilderPage(page).open(app.signInUrl) });
  let builder: BuilderPage;
  beforeEach(() => {
    builder = new BuilderPage(served.page);
  });

  const files = () => served.page.getByTestId('files-list');
  const addFile = async (path: string): Promise<void> => {
    await files().getByRole('textbox', { name: 'New file path' }).fill(path);
    await files().getByRole('button', { name: 'Add file' }).click();
    await files().getByRole('button', { name: path, exact: true }).and(served.page.locator('[aria-current="true"]')).waitFor();
  };

  it('adds helpers.py, imports it from plugin.py, runs, and saves every file to the workspace', async () => {
    await builder.typeCode(MAIN);
    await builder.setName('e2e-multi');
    await addFile('helpers.py');
    await builder.typeCode(HELPERS);
    await addFile('data/words.txt');
    await builder.typeCode('alpha');
    await builder.setInput('hi');
    await builder.run();
    await eventually(() => builder.finished()).toMatch(/^Done in/);
    await eventually(() => builder.output().innerText()).toBe('HI! alpha');

    // Each file is its own editor model: back on plugin.py, its text is as typed.
    await files().getByRole('button', { name: 'plugin.py', exact: true }).click();
    await eventually(() => builder.code()).toContain('from helpers import shout');
    await builder.saveState().filter({ hasText: /^Saved$/ }).waitFor();
    const folder = join(served.app.home, 'workspace', 'e2e-multi');
    await eventually(() => readFile(join(folder, 'helpers.py'), 'utf8')).toBe(HELPERS);
    expect(await readFile(join(folder, 'data', 'words.txt'), 'utf8')).toBe('alpha');
    expect(await readFile(join(folder, 'plugin.py'), 'utf8')).toBe(MAIN);
    await screenshot(served.page, 'builder-files');
  });

  it('renames and deletes files; a run then misses the renamed helper, and the folder follows (the emptied data/ folder goes too)', async () => {
    await builder.openPlugin('e2e-multi');
    await files().getByRole('button', { name: 'helpers.py', exact: true }).waitFor();
    served.page.once('dialog', (dialog) => void dialog.accept('tools.py'));
    await files().getByRole('button', { name: 'Rename helpers.py' }).click();
    await files().getByRole('button', { name: 'tools.py', exact: true }).waitFor();
    served.page.once('dialog', (dialog) => void dialog.accept());
    await files().getByRole('button', { name: 'Delete data/words.txt' }).click();
    await eventually(() => files().getByRole('button', { name: 'data/words.txt', exact: true }).count()).toBe(0);

    await builder.run();
    await eventually(() => builder.finished()).toMatch(/ModuleNotFoundError|PLUGIN_ERROR|failed/i);
    await builder.saveState().filter({ hasText: /^Saved$/ }).waitFor();
    const folder = join(served.app.home, 'workspace', 'e2e-multi');
    await eventually(async () => (await readdir(folder)).sort()).toEqual(['plugin.json', 'plugin.py', 'tools.py']);
    expect(await readFile(join(folder, 'tools.py'), 'utf8')).toBe(HELPERS);
  });

  it('refuses a path out of the plugin, saying why', async () => {
    await files().getByRole('textbox', { name: 'New file path' }).fill('../escape.py');
    await files().getByRole('button', { name: 'Add file' }).click();
    await eventually(() => files().getByRole('alert').innerText()).toContain("may not contain '.' or '..'");
  });
});
