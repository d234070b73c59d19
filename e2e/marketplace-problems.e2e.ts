import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { errorInfoOf } from '../src/shared/api/api-error.ts';
import type { MarketPage, PublishEvent } from '../src/shared/api/schemas/marketplace.ts';
import type { ApiClient } from '../src/shared/api/types.ts';
import { PG_SERVER } from '../test/support/postgres.ts';
import { screenshot } from './helpers/browser.ts';
import { eventually } from './helpers/eventually.ts';
import { useServedApp } from './helpers/served-app.ts';
import { AppShell } from './pages/app.ts';
import { BuilderPage } from './pages/builder.ts';
import { MarketplacePage } from './pages/marketplace.ts';

const plugin = (name: string) => ({
  code: 'from platform_sdk import get_input, send_output\nsend_output(get_input())\n',
  manifest: { name, version: '1.0.0', description: 'Says what it is given' },
});

/** The settings' marketplace answers the very next call, whatever else still uses the one named before (on-demand.ts). */
async function switchedTo(api: ApiClient, answered: (search: Promise<MarketPage>) => Promise<boolean>): Promise<void> {
  expect(await answered(api.call('market.search', {}))).toBe(true);
}

/**
 * What a new user met on a marketplace that was not what they thought (new-user trial): the local
 * one named them by PGlite's role `postgres`; a URL to a database that does not exist passed the
 * Publish dialog's version step as "a new plugin"; an unreachable one said "offline" without why.
 * One server, whose marketplace setting each test changes in turn.
 */
describe('marketplace problems shown as they are, in Chromium against wasmforge serve', () => {
  const served = useServedApp({
    seed: async (api) => {
      await api.call('author.setDisplayName', { displayName: 'Ada Local' });
      await api.call('plugins.save', plugin('local-echo'));
      expect(await api.stream('market.publish', { name: 'local-echo' }, { onEvent: () => undefined })).toMatchObject({ status: 'published' });
    },
  });

  it('the local marketplace names its author by their display name, never by the role `postgres`', async () => {
    const market = new MarketplacePage(served.page);
    await market.open();
    const card = market.card('local-echo');
    await eventually(() => card.innerText()).toContain('by Ada Local');
    expect(await card.innerText()).not.toContain('postgres');
    expect(await card.locator('.meta span[title]').first().getAttribute('title')).not.toContain('postgres');
    await market.openDetail('local-echo');
    const meta = served.page.locator('.detail .meta').first();
    await eventually(async () => (await meta.textContent())?.replace(/\s+/g, ' ')).toMatch(/^by Ada Local \(you\) · key /);
    expect(await served.page.locator('.detail').innerText()).not.toContain('postgres');
  });

  it("a database that does not exist: Publish says so at once, with the fix, before any first-publish review; the publish's version step fails the same way", async () => {
    const missing = `wasmforge_missing_${randomBytes(4).toString('hex')}`;
    await served.api.call('settings.update', { marketplace: { databaseUrl: `${PG_SERVER}/${missing}` } });
    await switchedTo(served.api, (search) => search.then(() => false, (error: unknown) => errorInfoOf(error).code === 'NOT_FOUND'));
    await served.api.call('plugins.save', plugin('missing-db-echo'));
    const builder = new BuilderPage(served.page);
    await builder.show();
    await builder.openPlugin('missing-db-echo');
    await served.page.getByRole('button', { name: 'Publish…' }).click();
    const outcome = served.page.getByTestId('publish-outcome');
    await outcome.locator('.notice').waitFor();
    expect((await outcome.innerText()).trim()).toMatch(new RegExp(`^Not found: There is no WasmForge marketplace in .*database "${missing}" does not exist`));
    expect(await outcome.innerText()).toContain('wasmforge db migrate');
    expect(await builder.firstPublishReview().count()).toBe(0); // no review of a publish that cannot happen
    // The header's badge says what is wrong, not "offline".
    await eventually(() => new AppShell(served.page).badge('marketplace').innerText()).toBe('Marketplace: no such database');
    await screenshot(served.page, 'publish-missing-database');
    await builder.closePublish();
    // The Marketplace's error card heads with words a person reads first, the stable code after them.
    await new MarketplacePage(served.page).open();
    const errorCard = served.page.locator('.state-error').first();
    await errorCard.waitFor();
    expect((await errorCard.innerText()).trim()).toMatch(/^No such marketplace database\nThere is no WasmForge marketplace in [^]*NOT_FOUND/);
    await screenshot(served.page, 'marketplace-error-card');

    // A publish sent anyway (a script, `wasmforge publish --yes`) fails its version step, never "a new plugin".
    const steps: PublishEvent[] = [];
    await expect(served.api.stream('market.publish', { name: 'missing-db-echo' }, { onEvent: (event) => steps.push(event) })).rejects.toMatchObject({ info: { code: 'NOT_FOUND' } });
    const version = steps.filter((event) => event.step === 'version').at(-1);
    expect(version).toMatchObject({ state: 'failed', detail: expect.stringContaining(`There is no WasmForge marketplace in ${PG_SERVER}/${missing}`) });
    expect(version?.detail).not.toContain('a new plugin');
  });

  it('an unreachable marketplace says why it shows cached results, and the fix', async () => {
    await served.api.call('settings.update', { marketplace: { databaseUrl: 'postgres://nobody@127.0.0.1:9/wasmforge' } });
    await switchedTo(served.api, (search) => search.then((page) => page.offline !== null, () => false));
    const market = new MarketplacePage(served.page);
    await market.open();
    await market.offlineBadge().waitFor();
    await eventually(() => new AppShell(served.page).badge('marketplace').innerText()).toBe('Marketplace: offline');
    const reason = served.page.getByTestId('offline-reason');
    await eventually(() => reason.innerText()).toMatch(/The marketplace database at 127\.0\.0\.1:9\/wasmforge is unreachable: .*ECONNREFUSED/);
    expect(await reason.innerText()).toContain('Check the database URL in Settings › Marketplace (DATABASE_URL for the CLI): its host and port, and that PostgreSQL runs there');
    // It says "showing the results this machine saw last" only above results (a trial saw it above "Nothing cached").
    const cards = await served.page.locator('.card-grid > *').count();
    expect(await reason.locator('strong').innerText()).toBe(cards > 0 ? 'Marketplace unreachable: showing the results this machine saw last.' : 'Marketplace unreachable.');
    await screenshot(served.page, 'marketplace-offline-reason');

    // Found by use (new-user trial): publishing a name already published said "First publish of …" while the
    // marketplace could not be asked; it says it could not tell.
    const builder = new BuilderPage(served.page);
    await builder.show();
    await builder.openPlugin('local-echo');
    await served.page.getByRole('button', { name: 'Publish…' }).click();
    await builder.firstPublishReview().waitFor();
    expect(await builder.firstPublishReview().getByRole('heading', { level: 3 }).innerText()).toBe('Publishing local-echo: maybe its first');
    expect(await served.page.getByTestId('first-publish-unchecked').innerText()).toContain('whether local-echo was published before is not known');
    await served.page.getByTestId('publish-dialog').getByRole('button', { name: 'Cancel' }).click();
  });
});
