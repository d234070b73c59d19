import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeOllama } from '../test/fake-ollama/server.ts';
import { SECRET_MASK } from '../src/shared/api/schemas/settings.ts';
import { eventually } from './helpers/eventually.ts';
import { useServedApp } from './helpers/served-app.ts';
import { SettingsPage } from './pages/settings.ts';

// The Settings screen, unchanged, against an API that never shows a secret: what it sends back keeps them.
const AUTHORIZATION = 'Bearer sk-e2e-proxy-secret';
const DATABASE_URL = 'postgres://alice:pg-e2e-secret@127.0.0.1:9/market';

describe('Settings in Chromium keep secrets out of the page', () => {
  let ollama: FakeOllama;
  // Registered first, so it runs last: after the server has stopped.
  afterAll(() => ollama?.close());
  const served = useServedApp({
    serve: async () => {
      // Like a proxy in front of a remote Ollama: without the real header, 401.
      ollama = await FakeOllama.start({ requireHeaders: { Authorization: AUTHORIZATION } });
      return { ollama, settings: { ollama: { host: ollama.url, headers: { Authorization: AUTHORIZATION } }, marketplace: { databaseUrl: DATABASE_URL } } };
    },
    signIn: async (page, app) => {
      await page.goto(app.signInUrl);
      await page.getByRole('heading', { name: 'New plugin' }).waitFor();
    },
  });

  it('shows masks, and saving or testing the forms unchanged keeps the stored secrets', async () => {
    const settings = new SettingsPage(served.page);
    await settings.open();
    const ollamaSection = settings.section('Ollama');
    const market = settings.section('Marketplace');
    expect(await ollamaSection.getByLabel('Header 1 value').inputValue()).toBe(SECRET_MASK);
    expect(await market.getByRole('textbox', { name: 'Database URL' }).inputValue()).toBe(`postgres://alice:${SECRET_MASK}@127.0.0.1:9/market`);

    await ollamaSection.getByRole('button', { name: 'Save and check' }).click();
    await eventually(() => ollamaSection.getByTestId('ollama-check').innerText()).toBe(`Connected: Ollama 0.12.6 at ${ollama.url}`);
    await market.getByRole('button', { name: 'Test connection' }).click();
    await eventually(() => market.getByTestId('database-test').innerText()).toMatch(/unreachable/);
    await market.getByRole('button', { name: 'Save', exact: true }).click();
    await market.getByText('Saved', { exact: true }).waitFor();

    const stored = JSON.parse(await readFile(`${served.app.home}/settings.json`, 'utf8')) as { ollama: { headers: Record<string, string> }; marketplace: { databaseUrl: string } };
    expect(stored.ollama.headers).toEqual({ Authorization: AUTHORIZATION });
    expect(stored.marketplace.databaseUrl).toBe(DATABASE_URL);
    expect(served.browser.pageErrors).toEqual([]);
  });

  it('asks before leaving with a section not saved, even after another section was saved', async () => {
    const settings = new SettingsPage(served.page);
    await settings.open();
    const sandbox = settings.section('Sandbox');
    await sandbox.getByRole('textbox', { name: 'Time (s)', exact: true }).fill('42');
    await sandbox.getByTestId('unsaved-sandbox').waitFor();
    const author = settings.section('Author identity');
    await author.getByRole('textbox', { name: 'Display name' }).fill('Alice Example');
    await author.getByRole('button', { name: 'Save', exact: true }).click();
    await author.getByText('Saved', { exact: true }).waitFor();

    const asked: string[] = [];
    served.page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await served.page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Home' }).click();
    await eventually(() => asked).toEqual([expect.stringMatching(/changes to Sandbox are not saved/)]);
    await served.page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await sandbox.getByRole('textbox', { name: 'Time (s)', exact: true }).inputValue()).toBe('42');

    await sandbox.getByRole('button', { name: 'Save', exact: true }).click();
    await sandbox.getByText('Saved; the next run uses them.').waitFor();
    expect(await served.page.getByTestId('unsaved-sandbox').count()).toBe(0);
    await served.page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Home' }).click();
    await served.page.getByRole('heading', { name: 'New plugin' }).waitFor();
    expect(asked).toHaveLength(1);
    const stored = JSON.parse(await readFile(`${served.app.home}/settings.json`, 'utf8')) as { sandbox: { limits: { wallTimeMs?: number } }; author: { displayName: string } };
    expect([stored.sandbox.limits.wallTimeMs, stored.author.displayName]).toEqual([42_000, 'Alice Example']);
    expect(served.browser.pageErrors).toEqual([]);
  });

  // Found by use (new-user trial): a pasted or typed URL showed its password in clear text until Save.
  it('masks the password of a typed database URL once the field is left, and saves the URL as typed', async () => {
    const typed = 'postgres://bob:typed-pw-4242@127.0.0.1:9/market2';
    const settings = new SettingsPage(served.page);
    await settings.open();
    const market = settings.section('Marketplace');
    const field = market.getByRole('textbox', { name: 'Database URL' });
    await field.fill(typed);
    await field.blur();
    await eventually(() => field.inputValue()).toBe(`postgres://bob:${SECRET_MASK}@127.0.0.1:9/market2`);
    expect(await served.page.locator('body').innerText()).not.toContain('typed-pw-4242');
    // Back in the field, what was typed is all there, to correct.
    await field.focus();
    expect(await field.inputValue()).toBe(typed);
    await field.blur();

    await market.getByRole('button', { name: 'Save', exact: true }).click();
    await market.getByText('Saved', { exact: true }).waitFor();
    expect((await served.api.call('settings.get', {})).marketplace.databaseUrl).toBe(`postgres://bob:${SECRET_MASK}@127.0.0.1:9/market2`);
    const stored = JSON.parse(await readFile(`${served.app.home}/settings.json`, 'utf8')) as { marketplace: { databaseUrl: string } };
    expect(stored.marketplace.databaseUrl).toBe(typed);
    expect(served.browser.pageErrors).toEqual([]);
  });
});
