import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, type BrowserSession } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { serveApp, type ServedApp } from './helpers/serve.ts';
import { AppShell } from './pages/app.ts';

// Issue #16: a fresh data folder's first screen settles within a second. Two waits stood in the
// way on a busy machine: the page drew nothing until app.info answered, and the server checked
// Ollama and the marketplace only once the page watched, so the badges said "checking…" for
// another round of checks.
describe('the first screen (real Chromium against wasmforge serve)', () => {
  let app: ServedApp;
  let browser: BrowserSession;

  beforeEach(async () => {
    app = await serveApp();
    browser = await openBrowser();
  });
  afterEach(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('the server has checked Ollama before any page watches it', async () => {
    await eventually(() => app.ollama.requests.length).toBeGreaterThan(0);
  });

  it('shows Home and both badges settled while app.info has not answered yet', async () => {
    const page = browser.page;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let infoAnswered = false;
    await page.route('**/api/call/app.info', async (route) => {
      await held;
      await route.continue();
      infoAnswered = true;
    });
    await page.goto(app.signInUrl);
    const shell = new AppShell(page);
    await page.getByRole('heading', { name: 'Recent plugins' }).waitFor({ timeout: 15_000 });
    for (const which of ['ollama', 'marketplace'] as const) {
      await page.locator(`[data-testid="badge-${which}"]:not(.tone-busy)`).first().waitFor({ timeout: 15_000 });
    }
    expect(await shell.badge('ollama').innerText()).toMatch(/^Ollama 0\.12\.6/);
    expect(infoAnswered).toBe(false);
    release();
    // What app.info brings arrives into the open page: the header's host badge.
    await page.getByText(/^server · AI: ollama/).waitFor({ timeout: 15_000 });
    expect(browser.pageErrors).toEqual([]);
  });

  it('a token the server does not accept still ends on the sign-in form, with the reason', async () => {
    await browser.page.goto(`${app.url}/#token=${'x'.repeat(43)}`);
    await browser.page.getByText('The token was not accepted').waitFor({ timeout: 15_000 });
  });

  it('keeps both badges on one line in the header at 1280 px, on every screen but Home (new-user trial: they stacked)', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(app.signInUrl);
    const shell = new AppShell(page);
    for (const screen of ['Builder', 'Runner', 'Marketplace', 'Models', 'Settings'] as const) {
      await shell.go(screen);
      const header = page.locator('.app-header');
      const [ollama, market] = [header.getByTestId('badge-ollama'), header.getByTestId('badge-marketplace')];
      await market.waitFor();
      const [a, b] = [await ollama.boundingBox(), await market.boundingBox()];
      expect(Math.abs(a!.y - b!.y), screen).toBeLessThan(2);
    }
  });
});
