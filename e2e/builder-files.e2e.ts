import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { useServedApp } from './helpers/served-app.ts';
import { BuilderPage } from './pages/builder.ts';
import { MULTI_FILE_LAYOUT } from '../src/library/layouts.ts';

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
    await files().getByRole('button', { name: 'Rename helpers.py' }).click();
    await files().getByRole('textbox', { name: 'New path for helpers.py' }).fill('tools.py');
    await files().getByRole('textbox', { name: 'New path for helpers.py' }).press('Enter');
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

  /** `wasmforge init --layout multi` saved in the workspace, opened in the Builder, F12 on `summarize` (plugin.py's line 4). */
  const goToSummarize = async (name: string): Promise<void> => {
    await served.api.call('plugins.save', { ...MULTI_FILE_LAYOUT, manifest: { name, version: '0.1.0', description: '', tags: [], models: [], inputType: 'text', inputHint: '', limits: {} } });
    await served.page.reload();
    await builder.editorReady();
    await builder.openPlugin(name);
  };
  const pressF12On = async (word: string): Promise<void> => {
    await builder.hoverWord(word);
    await served.page.mouse.down();
    await served.page.mouse.up();
    await served.page.keyboard.press('F12');
  };
  const shownFile = () => files().locator('[aria-current="true"]').innerText();

  it('goes to a helper module\'s definition with F12 into that file: the list shows it, and an edit lands in it, never in plugin.py', async () => {
    await goToSummarize('f12-demo');
    await files().getByRole('button', { name: 'helpers.py', exact: true }).click();
    await eventually(() => builder.code()).toContain('def summarize');
    await files().getByRole('button', { name: 'plugin.py', exact: true }).click();
    await eventually(() => builder.code()).toContain('from helpers import summarize');
    await expect.poll(async () => {
      await pressF12On('summarize');
      return shownFile();
    }, { timeout: 60_000, interval: 1000 }).toBe('helpers.py');
    await eventually(() => builder.code()).toContain('def summarize');
    // F12 selects the name it lands on: Home, then one character before `def`.
    await served.page.keyboard.press('Home');
    await served.page.keyboard.type('#');
    const folder = join(served.app.home, 'workspace', 'f12-demo');
    const edited = MULTI_FILE_LAYOUT.files['helpers.py']?.replace('def summarize', '#def summarize');
    await eventually(() => readFile(join(folder, 'helpers.py'), 'utf8')).toBe(edited);
    await builder.saveState().filter({ hasText: /^Saved$/ }).waitFor();
    expect(await readFile(join(folder, 'plugin.py'), 'utf8')).toBe(MULTI_FILE_LAYOUT.code);
    expect(await shownFile()).toBe('helpers.py');
  });

  it('goes to a helper module\'s definition with F12 when that file was never opened', async () => {
    await goToSummarize('f12-unopened');
    await expect.poll(async () => {
      await pressF12On('summarize');
      return shownFile();
    }, { timeout: 60_000, interval: 1000 }).toBe('helpers.py');
    await eventually(() => builder.code()).toContain('def summarize');
  });

  it('refuses a path out of the plugin, saying why', async () => {
    await files().getByRole('textbox', { name: 'New file path' }).fill('../escape.py');
    await files().getByRole('button', { name: 'Add file' }).click();
    await eventually(() => files().getByRole('alert').innerText()).toContain("may not contain '.' or '..'");
  });

  it('checks a helper module\'s syntax as it is typed, naming the file, and leaves plugin.py\'s check to plugin.py', async () => {
    await files().getByRole('button', { name: 'plugin.py', exact: true }).click();
    await builder.typeCode(MAIN);
    await addFile('check_me.py');
    await builder.typeCode('def broken(:\n    pass\n');
    const banner = served.page.getByTestId('syntax-error');
    await eventually(() => banner.innerText()).toMatch(/^check_me\.py, Line 1/);
    await screenshot(served.page, 'builder-helper-syntax-error');
    // On plugin.py, which parses, the helper's error is not shown as plugin.py's.
    await files().getByRole('button', { name: 'plugin.py', exact: true }).click();
    await eventually(() => banner.count()).toBe(0);
    await files().getByRole('button', { name: 'check_me.py', exact: true }).click();
    await builder.typeCode('def fixed():\n    pass\n');
    await eventually(() => builder.code()).toContain('def fixed():');
    await eventually(() => banner.count()).toBe(0);
  });
});
