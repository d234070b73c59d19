import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type BrowserSession } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { serveApp, type ServedApp } from './helpers/serve.ts';
import { AppShell, type ScreenName } from './pages/app.ts';

// The states around the data, on every screen: empty on a fresh data folder, and an error with a
// way out (never a blank window or a spinner forever) once the server has gone away.
describe('empty and error states in Chromium against wasmforge serve', () => {
  let app: ServedApp;
  let browser: BrowserSession;
  let stopped = false;

  beforeEach(async () => {
    app = await serveApp();
    stopped = false;
    browser = await openBrowser();
    await browser.page.goto(app.signInUrl);
    await browser.page.getByRole('heading', { name: 'New plugin' }).waitFor();
  });
  afterEach(async () => {
    await browser?.close();
    if (!stopped) await app?.stop();
  });

  it('says what to do when there is nothing yet', async () => {
    const page = browser.page;
    const shell = new AppShell(page);
    await page.getByText('No plugins yet').waitFor();
    await page.getByRole('button', { name: 'browse the marketplace' }).waitFor();

    await shell.go('Runner');
    await page.getByRole('navigation', { name: 'Plugins' }).getByRole('button', { name: 'Write one in the Builder' }).waitFor();
    await page.getByText('Pick a plugin').waitFor();
    await page.getByRole('complementary', { name: 'History' }).getByText('No runs yet').waitFor();
    await screenshot(page, 'runner-empty');

    await shell.go('Marketplace');
    await page.getByText('Nobody has published a plugin yet. Publish yours from the Builder.').waitFor();
    await page.getByRole('complementary', { name: 'Your publishes' }).getByText('Nothing published from here yet').waitFor();
    await screenshot(page, 'marketplace-empty');
    expect(browser.pageErrors).toEqual([]);
  });

  it('shows an error with a way out on every screen once the server is gone', async () => {
    const page = browser.page;
    const shell = new AppShell(page);
    // Every screen but Settings has been opened (its code is loaded); then the server stops.
    const shown: Record<Exclude<ScreenName, 'Settings'>, string> = {
      Builder: '.code-editor[data-state="ready"]', Runner: 'nav[aria-label="Plugins"] .state-empty', Marketplace: '[role="search"]',
      Models: '[data-testid="model-row"]', Home: '.template-card',
    };
    for (const [screen, selector] of Object.entries(shown)) {
      await shell.go(screen as ScreenName);
      await page.locator(selector).first().waitFor();
    }
    await app.stop();
    stopped = true;

    for (const screen of ['Builder', 'Runner', 'Marketplace', 'Models'] as const) {
      await shell.go(screen);
      await expectServerGone(page, screen);
    }
    await shell.go('Home');
    await expectServerGone(page, 'Home');
    await screenshot(page, 'home-server-gone');

    // Settings' code was never loaded: the screen says so instead of the window going blank.
    await shell.go('Settings');
    const alert = page.getByRole('alert').filter({ hasText: 'This screen could not be shown' });
    await alert.waitFor();
    await alert.getByRole('button', { name: 'Try again' }).waitFor();
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    await screenshot(page, 'settings-server-gone');
  });
});

async function expectServerGone(page: Page, screen: ScreenName): Promise<void> {
  const alert = page.getByRole('alert').filter({ hasText: 'The connection to the WasmForge server failed' }).first();
  await eventually(() => alert.isVisible()).toBe(true);
  expect(await alert.getByRole('button', { name: 'Try again' }).count(), `${screen} offers to try again`).toBe(1);
  // No spinner left turning beside the error.
  await eventually(() => page.locator('.screen .state-loading').count()).toBe(0);
}
