import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeOllama } from '../test/fake-ollama/server.ts';
import { TcpProxy } from '../test/support/tcp-proxy.ts';
import { createHttpClient } from '../src/shared/api/http-client.ts';
import type { ApiClient } from '../src/shared/api/types.ts';
import { openBrowser, type BrowserSession } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { serveApp, type ServedApp } from './helpers/serve.ts';
import { AppShell } from './pages/app.ts';

// The open page follows what changes in the backend without a reload and without polling: the
// server pushes it (events.watch over SSE), whoever made the change. The old page polled every 30 s
// and never heard of other clients' saves: every wait here is far shorter than that.
const PROMPTLY = { timeout: 8000, interval: 100 };
// Marks this very document: a page that reloaded to catch up would lose it.
const MARK = '(() => { window.sameDocument = true; })()';
const STILL_MARKED = '(() => window.sameDocument === true)()';

describe('the open page follows the backend (real Chromium against wasmforge serve)', () => {
  let ollama: FakeOllama;
  /** "Ollama" as the app sees it: down() refuses every connection, as a stopped Ollama's port does. */
  let ollamaPort: TcpProxy;
  let app: ServedApp;
  let browser: BrowserSession;
  /** A second client of the same server (another tab, a script, a teammate). */
  let other: ApiClient;

  beforeEach(async () => {
    ollama = await FakeOllama.start();
    ollamaPort = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(ollama.url).port) });
    app = await serveApp({ ollama, env: { OLLAMA_HOST: `http://127.0.0.1:${ollamaPort.port}` } });
    other = createHttpClient({ baseUrl: app.url, token: app.token });
    browser = await openBrowser();
    await browser.page.goto(app.signInUrl);
    await new AppShell(browser.page).badge('ollama').filter({ hasText: 'Ollama 0.12.6' }).waitFor();
    await browser.page.evaluate(MARK);
  });
  afterEach(async () => {
    await browser?.close();
    await app?.stop();
    await ollamaPort?.close();
    await ollama?.close();
  });

  it('a settings change made by another client updates the badge without a reload', async () => {
    const badge = new AppShell(browser.page).badge('ollama');
    await other.call('settings.update', { ollama: { host: 'http://127.0.0.1:9' } });
    await expect.poll(() => badge.innerText(), PROMPTLY).toBe('Ollama: not running');
    await other.call('settings.update', { ollama: { host: `http://127.0.0.1:${ollamaPort.port}` } });
    await expect.poll(() => badge.innerText(), PROMPTLY).toMatch(/^Ollama 0\.12\.6/);
    expect(await browser.page.evaluate(STILL_MARKED)).toBe(true);
    expect(browser.pageErrors).toEqual([]);
  });

  it('stopping Ollama flips its badge to offline within seconds, and starting it flips it back', async () => {
    const badge = new AppShell(browser.page).badge('ollama');
    await ollamaPort.down();
    await expect.poll(() => badge.innerText(), PROMPTLY).toBe('Ollama: not running');
    await ollamaPort.up();
    await expect.poll(() => badge.innerText(), PROMPTLY).toMatch(/^Ollama 0\.12\.6/);
    expect(await browser.page.evaluate(STILL_MARKED)).toBe(true);
  });

  it('a plugin saved by another client appears in the open page’s lists', async () => {
    const page = browser.page;
    const manifest = { name: 'saved-elsewhere', description: 'Saved by another client' };
    await other.call('plugins.save', { code: 'print("hi")\n', manifest });
    await eventually(() => page.getByRole('list', { name: 'Recent plugins' }).getByText('saved-elsewhere').count()).toBe(1);

    await new AppShell(page).go('Runner');
    const runnerList = page.getByRole('navigation', { name: 'Plugins' });
    await runnerList.getByText('saved-elsewhere').waitFor();
    await other.call('plugins.save', { code: 'print("hi")\n', manifest: { ...manifest, name: 'saved-elsewhere-too' }, previousName: 'saved-elsewhere' });
    await expect.poll(() => runnerList.getByText('saved-elsewhere-too').count(), PROMPTLY).toBe(1);
    expect(await runnerList.getByText('saved-elsewhere', { exact: true }).count()).toBe(0);
    expect(await page.evaluate(STILL_MARKED)).toBe(true);
  });
});
