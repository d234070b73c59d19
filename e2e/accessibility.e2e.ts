import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { AppShell } from './pages/app.ts';
import { BuilderPage } from './pages/builder.ts';
import { MarketplacePage } from './pages/marketplace.ts';
import { RunnerPage } from './pages/runner.ts';

// Every control a screen reader reaches has a name: each screen, each input type, each dialog,
// read from Chromium's accessibility tree (Playwright's aria snapshot).
const CONTROLS = 'button|link|textbox|searchbox|combobox|listbox|checkbox|radio|switch|slider|spinbutton|tab|menuitem';
/** A control line without a quoted name: `- button`, `- textbox: its value`, `- checkbox [checked]`. */
const UNNAMED = new RegExp(`^\\s*- (${CONTROLS})(?=$|:| \\[)`);

async function unnamedControls(where: Locator): Promise<string[]> {
  return (await where.ariaSnapshot()).split('\n').filter((line) => UNNAMED.test(line)).map((line) => line.trim());
}

describe('accessible names in Chromium against wasmforge serve', () => {
  const served = useServedApp({
    seed: async (api) => {
      const code = 'from platform_sdk import get_input, send_output\nsend_output(get_input())\n';
      await api.call('plugins.save', { code, manifest: { name: 'echo-text', version: '1.0.0', description: 'Says it back', tags: ['text'] } });
      await api.call('plugins.save', { code, manifest: { name: 'echo-json', inputType: 'json' } });
      await api.call('plugins.save', { code, manifest: { name: 'echo-file', inputType: 'file' } });
      await api.stream('market.publish', { name: 'echo-text' }, { onEvent: () => undefined });
      await api.call('settings.update', { ollama: { headers: { Authorization: 'Bearer secret' } } });
    },
    browser: 'file',
    // The test signs in itself, and checks Home first.
    signIn: async () => undefined,
  });
  let page: Page;
  beforeAll(() => {
    page = served.page;
  });
  /** Screen → its controls without a name; all screens are read, then compared at once. */
  const found: Record<string, string[]> = {};
  const check = async (screen: string, where: Locator = page.locator('body')): Promise<void> => {
    found[screen] = await unnamedControls(where);
  };

  it('names every button, link, input, select and textarea on every screen and dialog', async () => {
    await page.goto(served.app.signInUrl);
    await page.getByRole('list', { name: 'Recent plugins' }).waitFor();
    await check('home');

    const builder = new BuilderPage(page);
    await builder.show();
    await page.locator('details.manifest > summary').click();
    await page.getByRole('form', { name: 'Plugin manifest' }).waitFor();
    await builder.run();
    await builder.finished();
    await check('builder');
    // The draft's name is new: the dialog first shows what its first publish makes public.
    await page.getByRole('button', { name: 'Publish…' }).click();
    await page.getByTestId('first-publish-review').waitFor();
    await check('publish dialog', page.getByRole('dialog'));
    await page.getByTestId('publish-dialog').getByRole('button', { name: 'Cancel' }).click();

    const runner = new RunnerPage(page);
    await runner.open();
    for (const name of ['echo-text', 'echo-json', 'echo-file']) {
      await runner.pick(name);
      if (name === 'echo-file') await runner.chooseFile({ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
      await runner.run();
      await runner.finished();
      await check(`runner (${name})`);
    }

    const market = new MarketplacePage(page);
    await market.open();
    await market.card('echo-text').waitFor();
    await check('marketplace');
    await market.openDetail('echo-text');
    await check('marketplace detail');
    await market.action(/^Install /).click();
    await page.getByTestId('consent-dialog').getByTestId('declarations').waitFor();
    await check('consent dialog', page.getByRole('dialog'));
    await page.getByTestId('consent-dialog').getByRole('button', { name: 'Cancel' }).click();

    await new AppShell(page).go('Models');
    await page.getByTestId('model-row').first().waitFor();
    await check('models');

    await new AppShell(page).go('Settings');
    await page.getByTestId('key-fingerprint').waitFor();
    await check('settings');

    await page.keyboard.press('?');
    await check('shortcuts dialog', page.getByRole('dialog', { name: 'Keyboard shortcuts' }));
    await page.keyboard.press('Escape');

    // The screens no other test shows in the light theme, for a look at both themes.
    await page.keyboard.press('ControlOrMeta+Shift+L');
    await builder.show();
    await screenshot(page, 'builder-light');
    await new AppShell(page).go('Models');
    await page.getByTestId('model-row').first().waitFor();
    await screenshot(page, 'models-light');
    await market.open();
    await market.card('echo-text').waitFor();
    await screenshot(page, 'marketplace-light');

    // A tab without the token (each tab keeps its own) shows the sign-in form.
    const signIn = await served.browser.context.newPage();
    await signIn.goto(served.app.url);
    await signIn.getByRole('button', { name: 'Sign in' }).waitFor();
    found['sign-in'] = await unnamedControls(signIn.locator('body'));
    await signIn.close();

    // The check itself sees a control without a name (so the empty lists above mean something).
    await page.evaluate(`document.body.append(Object.assign(document.createElement('button'), { id: 'nameless' }))`);
    expect(await unnamedControls(page.locator('body'))).toContain('- button');
    await page.evaluate(`document.getElementById('nameless').remove()`);

    expect(Object.keys(found)).toHaveLength(13);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((screen) => [screen, []])));
  });
});
