import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { SettingsPage } from './pages/settings.ts';

// Settings › Logs in Chromium against `wasmforge serve`: a browser cannot open a folder on the
// server's machine, so it shows where the logs are and offers no button.
describe('Settings › Logs in a browser', () => {
  const served = useServedApp({
    browser: 'file',
    signIn: async (page, app) => {
      await page.goto(app.signInUrl);
      await page.getByRole('heading', { name: 'New plugin' }).waitFor();
    },
  });

  it('names the server’s logs folder, on the machine that runs the server, without an Open button', async () => {
    const settings = new SettingsPage(served.page);
    await settings.open();
    const section = settings.section('Logs');
    expect(await section.getByTestId('logs-folder').innerText()).toBe(join(served.app.home, 'logs'));
    expect(await section.innerText()).toContain('on the machine that runs the server');
    expect(await section.getByRole('button', { name: 'Open logs folder' }).count()).toBe(0);
    await section.scrollIntoViewIfNeeded();
    await screenshot(served.page, 'settings-logs');
  });
});
