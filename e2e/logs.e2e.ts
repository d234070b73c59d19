import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshot, type BrowserSession } from './helpers/browser.ts';
import { serveApp, type ServedApp } from './helpers/serve.ts';
import { SettingsPage } from './pages/settings.ts';

// Settings › Logs in Chromium against `wasmforge serve`: a browser cannot open a folder on the
// server's machine, so it shows where the logs are and offers no button.
describe('Settings › Logs in a browser', () => {
  let app: ServedApp;
  let browser: BrowserSession;

  beforeAll(async () => {
    app = await serveApp();
    browser = await openBrowser();
    await browser.page.goto(app.signInUrl);
    await browser.page.getByRole('heading', { name: 'New plugin' }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('names the server’s logs folder, on the machine that runs the server, without an Open button', async () => {
    const settings = new SettingsPage(browser.page);
    await settings.open();
    const section = settings.section('Logs');
    expect(await section.getByTestId('logs-folder').innerText()).toBe(join(app.home, 'logs'));
    expect(await section.innerText()).toContain('on the machine that runs the server');
    expect(await section.getByRole('button', { name: 'Open logs folder' }).count()).toBe(0);
    await section.scrollIntoViewIfNeeded();
    await screenshot(browser.page, 'settings-logs');
  });
});
