import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { openBrowser, screenshot } from './helpers/browser.ts';
import { useServedApp } from './helpers/served-app.ts';
import { eventually } from './helpers/eventually.ts';
import { createE2eDatabase, type E2eDatabase } from './helpers/postgres.ts';
import { MarketplacePage } from './pages/marketplace.ts';

// Browsing a real PostgreSQL marketplace of 14 plugins in Chromium: tag filter, the three sorts, pages.
// Downloads and ages are set by the database's owner, so every order below is known in advance.
const CATALOG: Array<{ name: string; description: string; tags: string[]; downloads: number; hoursAgo: number }> = [
  { name: 'summary', description: 'Short summaries of anything', tags: ['text'], downloads: 3, hoursAgo: 30 },
  { name: 'news-digest', description: "A summary of the day's news", tags: ['text', 'news'], downloads: 90, hoursAgo: 20 },
  { name: 'code-lint', description: 'Finds bugs in code', tags: ['code'], downloads: 50, hoursAgo: 5 },
  { name: 'code-explain', description: 'Explains code line by line', tags: ['code'], downloads: 40, hoursAgo: 1 },
  { name: 'sql-helper', description: 'Writes SQL queries', tags: ['code', 'sql'], downloads: 70, hoursAgo: 12 },
  { name: 'translator-fr', description: 'Translates into French', tags: ['translation'], downloads: 20, hoursAgo: 40 },
  { name: 'translator-de', description: 'Translates into German', tags: ['translation'], downloads: 10, hoursAgo: 41 },
  { name: 'haiku', description: 'Writes a haiku about the input', tags: ['fun'], downloads: 5, hoursAgo: 50 },
  { name: 'joke-teller', description: 'Tells a joke about the input', tags: ['fun'], downloads: 8, hoursAgo: 51 },
  { name: 'email-writer', description: 'Turns notes into an email', tags: ['text'], downloads: 30, hoursAgo: 8 },
  { name: 'tweet-shortener', description: 'Shortens text to a tweet', tags: ['text'], downloads: 15, hoursAgo: 60 },
  { name: 'recipe-scaler', description: 'Scales a recipe', tags: ['food'], downloads: 2, hoursAgo: 70 },
  { name: 'unit-converter', description: 'Converts units', tags: ['tools'], downloads: 60, hoursAgo: 3 },
  { name: 'password-checker', description: 'Rates a password', tags: ['tools'], downloads: 25, hoursAgo: 80 },
];
const byDownloads = [...CATALOG].sort((a, b) => b.downloads - a.downloads).map((p) => p.name);
const byAge = [...CATALOG].sort((a, b) => a.hoursAgo - b.hoursAgo).map((p) => p.name);
const tagged = (tag: string): string[] => byDownloads.filter((name) => CATALOG.find((p) => p.name === name)!.tags.includes(tag));

describe('browsing the marketplace in Chromium against wasmforge serve and PostgreSQL', () => {
  let database: E2eDatabase;
  // Registered first, so it runs last: after the server has stopped.
  afterAll(() => database?.drop());
  const served = useServedApp({
    seed: async (api) => {
      database = await createE2eDatabase();
      const author = await database.author('browse');
      await api.call('settings.update', { marketplace: { databaseUrl: author.url } });
      for (const plugin of CATALOG) {
        const manifest = { name: plugin.name, version: '1.0.0', description: plugin.description, tags: plugin.tags };
        await api.call('plugins.save', { code: 'from platform_sdk import send_output\nsend_output("ok")\n', manifest });
        const result = await api.stream('market.publish', { name: plugin.name }, { onEvent: () => undefined });
        expect(result.status).toBe('published');
        await database.query('UPDATE marketplace.plugins SET downloads = $2, updated_at = now() - make_interval(hours => $3) WHERE name = $1',
          [plugin.name, plugin.downloads, plugin.hoursAgo]);
      }
    },
  });
  let market: MarketplacePage;
  beforeEach(async () => {
    market = new MarketplacePage(served.page);
    await market.open();
  });

  it('pages through the results twelve at a time', async () => {
    await eventually(() => market.cardNames()).toEqual(byDownloads.slice(0, 12));
    await eventually(() => market.pages().innerText()).toContain('Page 1 of 2 · 14 plugins');
    expect(await market.pages().getByRole('button', { name: '← Previous' }).isDisabled()).toBe(true);
    await screenshot(served.page, 'marketplace-browse');

    await market.pages().getByRole('button', { name: 'Next →' }).click();
    await eventually(() => market.cardNames()).toEqual(byDownloads.slice(12));
    await eventually(() => market.pages().innerText()).toContain('Page 2 of 2 · 14 plugins');
    expect(await market.pages().getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
    await screenshot(served.page, 'marketplace-page-2');

    // A new query starts again at page 1.
    await market.sortBy('Newest');
    await eventually(() => market.cardNames()).toEqual(byAge.slice(0, 12));
    await eventually(() => market.pages().innerText()).toContain('Page 1 of 2');
    expect(served.browser.pageErrors).toEqual([]);
  });

  it('sorts by downloads, by age, and by best match for the words searched', async () => {
    await market.sortBy('Newest');
    await eventually(() => market.cardNames()).toEqual(byAge.slice(0, 12));
    await market.sortBy('Most downloaded');
    await eventually(() => market.cardNames()).toEqual(byDownloads.slice(0, 12));

    // "summar": the plugin named so comes first on best match, the more downloaded one that only mentions it on downloads.
    await market.search('summar');
    await market.sortBy('Best match');
    await eventually(() => market.cardNames()).toEqual(['summary', 'news-digest']);
    await market.sortBy('Most downloaded');
    await eventually(() => market.cardNames()).toEqual(['news-digest', 'summary']);
    await expect(market.pages().count()).resolves.toBe(0);
  });

  it('filters by a tag from the menu or from a card', async () => {
    await eventually(() => market.cardNames()).toHaveLength(12);
    await market.filterByTag('code');
    await eventually(() => market.cardNames()).toEqual(tagged('code'));
    await screenshot(served.page, 'marketplace-tag-filter');

    await market.filterByTag(undefined);
    await eventually(() => market.cardNames()).toHaveLength(12);
    await market.card('email-writer').getByRole('button', { name: 'Show plugins tagged text' }).click();
    await eventually(() => market.tagFilter().inputValue()).toBe('text');
    await eventually(() => market.cardNames()).toEqual(tagged('text'));

    // Tag and words together.
    await market.search('summ');
    await eventually(() => market.cardNames()).toEqual(['summary', 'news-digest']);
    await market.filterByTag('news');
    await eventually(() => market.cardNames()).toEqual(['news-digest']);
  });

  it("opens a plugin's page from a click anywhere on its card but on the card's own buttons; the name stays the keyboard's way in", async () => {
    const page = served.page;
    const back = page.getByRole('button', { name: '← All plugins' });
    await eventually(() => market.cardNames()).toHaveLength(12);
    // The card's own button (a tag: the cards have no Install) does its own thing and opens nothing.
    await market.card('email-writer').getByRole('button', { name: 'Show plugins tagged text' }).click();
    await eventually(() => market.tagFilter().inputValue()).toBe('text');
    expect(await back.count()).toBe(0);
    await market.filterByTag(undefined);

    // Selecting the description's words with the mouse is reading, not opening.
    const description = market.card('haiku').getByText('Writes a haiku about the input');
    const box = (await description.boundingBox())!;
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    expect(await page.evaluate<string>('String(window.getSelection())')).not.toBe('');
    expect(await back.count()).toBe(0);

    await description.click();
    await eventually(() => page.getByRole('heading', { level: 2, name: /^haiku\b/ }).innerText()).toBe('haiku 1.0.0');
    await back.click();

    // The card is no control itself (nothing nested in one); its name is the button a keyboard reaches.
    const card = market.card('haiku');
    expect([await card.getAttribute('role'), await card.getAttribute('tabindex')]).toEqual([null, null]);
    await card.getByRole('button', { name: 'haiku', exact: true }).focus();
    await page.keyboard.press('Enter');
    await eventually(() => page.getByRole('heading', { level: 2, name: /^haiku\b/ }).innerText()).toBe('haiku 1.0.0');
    expect(served.browser.pageErrors).toEqual([]);
  });

  // Found by use (new-user trial): / on another screen went back to the last plugin page the Marketplace showed.
  it('/ from a plugin page or another screen goes to the search box, not back to the plugin page', async () => {
    const page = served.page;
    await market.card('haiku').getByRole('button', { name: 'haiku', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: /^haiku\b/ }).waitFor();
    await page.keyboard.press('Alt+5');
    await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate<string | null>('document.activeElement?.getAttribute("aria-label")')).toBe('Search plugins');
    expect(await page.getByRole('heading', { level: 2, name: /^haiku\b/ }).count()).toBe(0);

    await market.card('haiku').getByRole('button', { name: 'haiku', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: /^haiku\b/ }).waitFor();
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('/');
    await expect.poll(() => page.evaluate<string | null>('document.activeElement?.getAttribute("aria-label")')).toBe('Search plugins');
  });

  it('opens a plugin page from a link, keeps the page in the address, and copies a link without the token', async () => {
    const page = served.page;
    const pageTitle = () => page.getByRole('heading', { level: 2, name: /^haiku\b/ }).innerText();
    await page.goto(`${served.app.url}/#/marketplace/haiku@1.0.0`);
    await page.reload();
    await eventually(pageTitle).toBe('haiku 1.0.0');
    expect(new URL(page.url()).hash).toBe('#/marketplace/haiku@1.0.0');
    await page.getByRole('button', { name: 'Copy link' }).click();
    await eventually(() => page.getByRole('status').filter({ hasText: 'Link to this page' }).innerText())
      .toBe(`Link to this page: ${served.app.url}/#/marketplace/haiku@1.0.0`);
    await screenshot(page, 'marketplace-plugin-link');

    await page.getByRole('button', { name: '← All plugins' }).click();
    await eventually(() => new URL(page.url()).hash).toBe('#/marketplace');
    await page.evaluate("window.location.hash = '#/marketplace/summary'");
    await eventually(() => page.getByRole('heading', { level: 2, name: /^summary\b/ }).innerText()).toBe('summary 1.0.0');

    // The address the server printed, with a page after it: the page opens, the token leaves the address.
    const other = await openBrowser();
    try {
      await other.page.goto(`${served.app.url}/#/marketplace/haiku@1.0.0&token=${served.app.token}`);
      await eventually(() => other.page.getByRole('heading', { level: 2, name: /^haiku\b/ }).innerText()).toBe('haiku 1.0.0');
      expect(new URL(other.page.url()).hash).toBe('#/marketplace/haiku@1.0.0');
      expect(other.pageErrors).toEqual([]);
    } finally {
      await other.close();
    }
    expect(served.browser.pageErrors).toEqual([]);
  });
});
