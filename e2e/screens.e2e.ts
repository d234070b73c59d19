import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeOllama } from '../test/fake-ollama/server.ts';
import { screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { AppShell } from './pages/app.ts';
import { BuilderPage } from './pages/builder.ts';
import { ModelsPage } from './pages/models.ts';
import { SettingsPage } from './pages/settings.ts';
import { eventually } from './helpers/eventually.ts';

// The Models and Settings screens in Chromium against `wasmforge serve` and the fake Ollama.
const CLOSED_PORT_HOST = 'http://127.0.0.1:9';

// Runs in the page (this file is type-checked without the DOM): every value the pull bar takes is kept.
const RECORD_PULL_PERCENTS = `(() => {
  const seen = [];
  window.pullPercents = seen;
  new MutationObserver(() => {
    const bar = document.querySelector('[data-testid="pull-progress"] progress');
    if (bar) seen.push(Number(bar.getAttribute('data-percent')));
  }).observe(document.body, { subtree: true, childList: true, attributes: true });
})()`;

describe('Models and Settings in Chromium against wasmforge serve', () => {
  let ollama: FakeOllama;
  // Registered first, so it runs last: after the server has stopped.
  afterAll(() => ollama?.close());
  const served = useServedApp({
    serve: async () => {
      ollama = await FakeOllama.start({ pullable: [{ name: 'tinyllama:latest', family: 'llama', parameterSize: '1.1B', size: 637_700_000 }] });
      return { ollama };
    },
    signIn: async (page, app) => {
      page.on('dialog', (dialog) => void dialog.accept());
      await page.goto(app.signInUrl);
      await page.getByRole('heading', { name: 'New plugin' }).waitFor();
    },
  });

  it('pulls a model with a progress bar that moves, cancels a pull, approves and deletes a model', async () => {
    const models = new ModelsPage(served.page);
    await models.open();
    await eventually(() => flat(models.connection())).toMatch(/^Connected to http:\/\/127\.0\.0\.1:\d+ · Ollama 0\.12\.6 · \d+ ms/);
    await screenshot(served.page, 'models');

    // Every value the bar takes is recorded in the page, so the test sees it move however fast it goes.
    await served.page.evaluate(RECORD_PULL_PERCENTS);
    ollama.faults = { tokenLatencyMs: 150 };
    await models.startPull('tinyllama:latest');
    await expect.poll(async () => Number(await models.progressBar().getAttribute('data-percent')), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshot(served.page, 'models-pull-progress');
    await served.page.getByRole('status').filter({ hasText: 'Pulled tinyllama:latest' }).waitFor();
    const percents = await served.page.evaluate<number[]>('window.pullPercents');
    expect(new Set(percents).size).toBeGreaterThanOrEqual(3);
    expect(percents.some((p) => p > 0 && p < 100)).toBe(true);
    expect(Math.max(...percents)).toBe(100);

    const row = models.row('tinyllama:latest');
    await eventually(() => row.innerText()).toMatch(/llama\s+1\.1B/);
    await row.getByRole('checkbox', { name: 'Allow plugins to use tinyllama:latest' }).check();
    await row.getByText('approved').waitFor();
    // The toggle answers at once; the settings file follows when the server has saved it.
    await expect.poll(async () => (await readSettings(served.app.home).catch(() => undefined))?.ollama.allowList).toContain('tinyllama:latest');
    await row.getByRole('button', { name: 'Delete tinyllama:latest' }).click();
    // Still on the allow-list, so it stays in the table, marked as missing.
    await row.getByText('not installed').waitFor();
    await screenshot(served.page, 'models-approved-not-installed');

    ollama.faults = { tokenLatencyMs: 400 };
    await models.startPull('tinyllama:latest');
    await expect.poll(async () => Number(await models.progressBar().getAttribute('data-percent')), { timeout: 30_000 }).toBeGreaterThan(0);
    await served.page.getByRole('button', { name: 'Cancel' }).click();
    await served.page.getByRole('status').filter({ hasText: 'Cancelled the pull of tinyllama:latest' }).waitFor();
    ollama.faults = {};
  });

  it('explains how to start Ollama or point at a remote one when it is not running', async () => {
    const settings = new SettingsPage(served.page);
    await settings.open();
    const section = settings.section('Ollama');
    // No host saved yet: the field names the Ollama in use (the server's OLLAMA_HOST), not only the default.
    await eventually(() => section.getByRole('textbox', { name: 'Host' }).getAttribute('placeholder')).toBe(`In use: ${ollama.url} (OLLAMA_HOST or the default)`);
    await section.getByRole('textbox', { name: 'Host' }).fill(CLOSED_PORT_HOST);
    await section.getByRole('button', { name: 'Save and check' }).click();
    await eventually(() => section.getByTestId('ollama-check').innerText()).toMatch(/^Not reachable: /);

    const models = new ModelsPage(served.page);
    await models.open();
    const help = await flat(models.connection());
    expect(help).toContain('Ollama is not running at http://127.0.0.1:9');
    expect(help).toContain('ollama serve');
    expect(help).toContain('Settings › Ollama host');
    await new AppShell(served.page).badge('ollama').filter({ hasText: 'Ollama: not running' }).waitFor();
    // Nobody could ask Ollama: an approved model's state is unknown, never "not installed" (a trial saw that).
    const rows = served.page.getByTestId('model-row');
    await eventually(() => rows.count()).toBeGreaterThan(0);
    for (const row of await rows.all()) {
      expect(await row.innerText()).not.toContain('not installed');
      expect(await row.innerText()).toContain('unknown');
    }
    await screenshot(served.page, 'models-ollama-down');

    await settings.open();
    await section.getByRole('textbox', { name: 'Host' }).fill(ollama.url);
    await section.getByRole('button', { name: 'Save and check' }).click();
    await eventually(() => section.getByTestId('ollama-check').innerText()).toBe(`Connected: Ollama 0.12.6 at ${ollama.url}`);
  });

  it('sets limits the next run gets, shows the engines, tests a database URL, exports and imports the author key', async () => {
    const settings = new SettingsPage(served.page);
    await settings.open();
    const sandbox = settings.section('Sandbox');
    await eventually(() => flat(sandbox.getByTestId('engine-embedded'))).toContain('CPython 3.12');
    await eventually(() => flat(sandbox.getByTestId('engine-wasmedge'))).toMatch(/^WasmEdge (version \S+|not available: .+)/);
    await sandbox.getByRole('textbox', { name: 'AI calls per run' }).fill('3');
    await sandbox.getByRole('button', { name: 'Save', exact: true }).click();
    await sandbox.getByText('Saved; the next run uses them.').waitFor();
    expect((await readSettings(served.app.home)).sandbox.limits).toEqual({ aiCalls: 3 });

    const market = settings.section('Marketplace');
    // The URL an administrator sent, pasted whole over what was typed: it replaces it and is tested at once.
    const urlField = market.getByRole('textbox', { name: 'Database URL' });
    await urlField.fill('postgres://half-typed');
    // (Page code as text: the e2e tests are type-checked without the DOM library.)
    await served.page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData('text/plain', ' postgres://nobody@127.0.0.1:9/wasmforge\\n');
      const input = document.querySelector('input[aria-describedby="market-url-help"]');
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
    await eventually(() => urlField.inputValue()).toBe('postgres://nobody@127.0.0.1:9/wasmforge');
    await eventually(() => market.getByTestId('database-test').innerText()).toMatch(/unreachable/);
    await screenshot(served.page, 'settings-screen');
    // Typed and saved (no paste, no Test connection), the URL is tested too (a trial saw only "Saved").
    await urlField.fill('postgres://nobody@127.0.0.1:9/typed');
    expect(await market.getByTestId('database-test').count()).toBe(0);
    await market.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => market.getByTestId('database-test').innerText()).toMatch(/127\.0\.0\.1:9\/typed: .*unreachable/);
    await urlField.fill('');
    await market.getByRole('button', { name: 'Save', exact: true }).click();
    await eventually(() => readSettings(served.app.home).then((saved) => (saved as { marketplace?: { databaseUrl?: string } }).marketplace?.databaseUrl ?? '')).toBe('');

    const author = settings.section('Author identity');
    const before = await author.getByTestId('key-fingerprint').innerText();
    expect(before).toMatch(/^SHA256:/);
    const download = served.page.waitForEvent('download');
    await author.getByRole('button', { name: 'Export key…' }).click();
    const saved = await (await download).path();
    await eventually(() => readFile(saved, 'utf8')).toContain('BEGIN PRIVATE KEY');
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await author.getByLabel('Key file to import').setInputFiles({ name: 'other.pem', mimeType: 'text/plain', buffer: Buffer.from(other) });
    await author.getByText('Key imported: you now publish as its owner.').waitFor();
    await eventually(() => author.getByTestId('key-fingerprint').innerText()).not.toBe(before);

    await served.page.keyboard.press('ControlOrMeta+Shift+L');
    await screenshot(served.page, 'settings-light');
    const builder = new BuilderPage(served.page);
    await builder.show();
    await eventually(() => served.page.getByTestId('meter-ai-calls').innerText()).toContain('0 / 3');
  });

  it('moves between screens with the keyboard', async () => {
    await served.page.keyboard.press('Alt+5');
    await served.page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    await served.page.keyboard.press('/');
    await expect.poll(() => served.page.evaluate<string | null>('document.activeElement?.getAttribute("aria-label")')).toBe('Search plugins');
    // Already in the empty search box (the Marketplace opens with it focused), / is still the shortcut, never a search for "/…".
    await served.page.keyboard.type('/gree');
    expect(await served.page.getByRole('searchbox', { name: 'Search plugins' }).inputValue()).toBe('gree');
    await served.page.getByRole('searchbox', { name: 'Search plugins' }).fill('');
    await served.page.evaluate('document.activeElement?.blur()');
    await served.page.keyboard.press('?');
    await served.page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByText('Home, Builder, Runner, Marketplace, Models, Settings').waitFor();
    expect(served.browser.pageErrors).toEqual([]);
  });
});

/** Visible text with its layout's line breaks folded into spaces. */
async function flat(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

async function readSettings(home: string): Promise<{ ollama: { allowList: string[] }; sandbox: { limits: Record<string, number> } }> {
  return JSON.parse(await readFile(`${home}/settings.json`, 'utf8'));
}
