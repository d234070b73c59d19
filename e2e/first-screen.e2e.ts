import type { Page } from 'playwright-core';
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

  it('shows the header pills whole at 1280×800 on every screen, and keeps the header inside the window at 1024 (a user saw the pill cut off)', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(app.signInUrl);
    await page.getByText(/^server · AI: /).waitFor({ timeout: 15_000 });
    const shell = new AppShell(page);
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 800 });
      for (const screen of ['Home', 'Builder', 'Runner', 'Marketplace', 'Models', 'Settings'] as const) {
        await shell.go(screen);
        // Settled badges say what they will keep saying ("checking…" is shorter than most).
        if (screen !== 'Home') await page.locator('.app-header [data-testid^="badge-"].tone-busy').first().waitFor({ state: 'detached', timeout: 15_000 });
        const header = await headerLayout(page);
        const where = `${screen} at ${width} px`;
        expect(header.scrollWidth, where).toBeLessThanOrEqual(header.clientWidth);
        for (const item of header.items) {
          expect(item.right, `${where}: ${item.text}`).toBeLessThanOrEqual(width);
          expect(item.left, `${where}: ${item.text}`).toBeGreaterThanOrEqual(0);
        }
        const pills = header.items.filter((item) => item.pill);
        // Every pill at 1280 px: the two connection badges (not on Home, which shows them large) and the host pill.
        if (width === 1280) expect(pills.map((pill) => pill.text), where).toHaveLength(screen === 'Home' ? 1 : 3);
        for (const pill of pills) expect(pill.scrollWidth, `${where}: ${pill.text}`).toBeLessThanOrEqual(pill.clientWidth);
      }
    }
  });
});

interface HeaderItem { text: string; left: number; right: number; scrollWidth: number; clientWidth: number; pill: boolean }

/** The header's visible parts, pills included (their text boxes too), where the window draws them. */
function headerLayout(page: Page): Promise<{ scrollWidth: number; clientWidth: number; items: HeaderItem[] }> {
  // Page code as text: the e2e tests are type-checked without the DOM library.
  return page.evaluate(`(() => {
    const header = document.querySelector('.app-header');
    const parts = [...header.querySelectorAll('.brand, nav a, .badge, .badge > span:not(.dot), :scope > button')];
    const items = parts.filter((el) => el.getClientRects().length > 0).map((el) => {
      const box = el.getBoundingClientRect();
      return { text: el.textContent.trim(), left: box.left, right: box.right, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, pill: el.classList.contains('badge') };
    });
    return { scrollWidth: header.scrollWidth, clientWidth: header.clientWidth, items };
  })()`);
}
