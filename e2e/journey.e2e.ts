import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOllama } from '../test/fake-ollama/server.ts';
import { createHttpClient } from '../src/shared/api/http-client.ts';
import { openBrowser, screenshot, type BrowserSession } from './helpers/browser.ts';
import { createE2eDatabase, type E2eDatabase } from './helpers/postgres.ts';
import { serveApp, type ServedApp } from './helpers/serve.ts';
import { TcpProxy } from '../test/support/tcp-proxy.ts';
import { AppShell } from './pages/app.ts';
import { BuilderPage } from './pages/builder.ts';
import { MarketplacePage } from './pages/marketplace.ts';
import { RunnerPage } from './pages/runner.ts';
import { SettingsPage } from './pages/settings.ts';
import { eventually } from './helpers/eventually.ts';

// The whole journey of issue 6, in Chromium against two `wasmforge serve` (two users, two data
// folders, two database roles) sharing the real PostgreSQL through a proxy the test can cut.
const WORD_TELLER = `from platform_sdk import call_ai, get_input, send_output

text = get_input()
print("counting words")
words = len(text.split())
send_output(str(words) + " words | " + call_ai("qwen2.5:1.5b", "Greet: " + text))
`;

interface User {
  app: ServedApp;
  browser: BrowserSession;
  builder: BuilderPage;
  market: MarketplacePage;
  role: string;
  url: string;
}

describe('the whole journey: write, publish, find, install, run, refuse, go offline, come back', () => {
  let database: E2eDatabase;
  let proxy: TcpProxy;
  let ollama: FakeOllama;
  let alice: User;
  let bob: User;

  async function user(label: string): Promise<User> {
    const author = await database.author(label, proxy);
    const app = await serveApp({ ollama, env: { WASMFORGE_OUTBOX_RETRY_MS: '1000' } });
    const browser = await openBrowser();
    const builder = new BuilderPage(browser.page);
    await builder.open(app.signInUrl);
    return { app, browser, builder, market: new MarketplacePage(browser.page), role: author.role, url: author.url };
  }

  beforeAll(async () => {
    database = await createE2eDatabase();
    proxy = await TcpProxy.toPostgres();
    ollama = await FakeOllama.start();
    [alice, bob] = await Promise.all([user('a'), user('b')]);
  });
  afterAll(async () => {
    for (const u of [alice, bob]) {
      await u?.browser.close();
      await u?.app.stop();
    }
    await proxy?.close();
    await ollama?.close();
    await database?.drop();
  });

  it('Alice connects to the marketplace, writes a plugin, runs it and publishes it', async () => {
    const settings = new SettingsPage(alice.browser.page);
    await settings.open();
    const tested = await settings.connectMarketplace(alice.url);
    expect(tested).toContain(`as ${alice.role}, schema current`);
    // The header badge follows the saved URL at once (its own check comes every 30 s).
    await new AppShell(alice.browser.page).badge('marketplace').filter({ hasText: /^Marketplace: online/ }).waitFor({ timeout: 15_000 });
    await screenshot(alice.browser.page, 'settings');

    await alice.builder.show();
    await alice.builder.typeCode(WORD_TELLER);
    await alice.builder.setName('word-teller');
    await alice.builder.setManifestField('Version', '1.0.0');
    await alice.builder.setManifestField('Description', 'Counts the words, then greets');
    await alice.builder.setManifestField('Tags', 'text, words');
    await alice.builder.tickModel('qwen2.5:1.5b');
    await alice.builder.setInput('hello from alice');
    await alice.builder.run();
    await eventually(() => alice.builder.finished()).toMatch(/^Done in/);
    await eventually(() => alice.builder.output().innerText()).toBe('3 words | Answer from qwen2.5:1.5b: Greet: hello from alice');

    const outcome = await alice.builder.publish();
    expect(outcome).toBe('Published word-teller 1.0.0.');
    for (const step of ['manifest', 'syntax', 'version', 'signature', 'deliver'] as const) {
      await eventually(() => alice.builder.publishStep(step).getAttribute('data-state')).toBe('ok');
    }
    await screenshot(alice.browser.page, 'publish-dialog');
    await alice.builder.closePublish();
    const rows = await database.query<{ owner: string }>('SELECT owner FROM marketplace.plugins WHERE name = $1', ['word-teller']);
    expect(rows).toEqual([{ owner: alice.role }]);
  });

  it('Bob finds it by search, reviews it, consents, installs it and runs it with its AI trace', async () => {
    await createHttpClient({ baseUrl: bob.app.url, token: bob.app.token }).call('settings.update', { marketplace: { databaseUrl: bob.url } });
    await bob.market.open();
    await bob.market.search('word');
    const card = bob.market.card('word-teller');
    await card.waitFor();
    const cardText = await card.innerText();
    expect(cardText).toContain('✓ Verified signature');
    expect(cardText).toContain(`by ${alice.role}`);
    expect(cardText).toContain('1.0.0');
    expect(cardText).toContain('qwen2.5:1.5b');
    await screenshot(bob.browser.page, 'marketplace');

    await bob.market.openDetail('word-teller');
    await bob.browser.page.locator('[data-testid="readonly-code"][data-state="ready"] .monaco-editor').waitFor();
    expect((await bob.browser.page.locator('.readonly-code .view-lines').innerText()).replace(/\u00a0/g, ' ')).toContain('print("counting words")');
    await screenshot(bob.browser.page, 'marketplace-detail');

    await bob.market.action(/^Install /).click();
    await bob.browser.page.getByTestId('consent-dialog').getByTestId('declarations').waitFor();
    await screenshot(bob.browser.page, 'marketplace-consent');
    await bob.browser.page.getByTestId('consent-dialog').getByRole('button', { name: 'Cancel' }).click();
    const consent = await bob.market.installWithConsent();
    expect(consent).toContain('qwen2.5:1.5b');
    expect(consent).toMatch(/AI budget\s+up to 10 calls/);
    await bob.browser.page.getByRole('status').filter({ hasText: 'Installed word-teller 1.0.0' }).waitFor();

    await bob.market.action('▶ Run').click();
    const runner = new RunnerPage(bob.browser.page);
    await bob.browser.page.getByRole('heading', { name: /^word-teller/ }).waitFor();
    await runner.setText('hi there bob');
    await runner.run();
    await eventually(() => runner.finished()).toMatch(/^Done in/);
    await eventually(() => runner.output().innerText()).toBe('3 words | Answer from qwen2.5:1.5b: Greet: hi there bob');
    await bob.browser.page.getByRole('tab', { name: /^AI trace/ }).click();
    const call = bob.browser.page.getByTestId('ai-call');
    await eventually(() => call.count()).toBe(1);
    await eventually(() => call.innerText()).toContain('qwen2.5:1.5b');
    await screenshot(bob.browser.page, 'runner-installed-ai-trace');
  });

  it("refuses Bob's publish over Alice's plugin with a clear message", async () => {
    await bob.builder.show();
    await bob.builder.typeCode('from platform_sdk import send_output\nsend_output("mine now")\n');
    await bob.builder.setName('word-teller');
    await bob.builder.setManifestField('Version', '2.0.0');
    await bob.builder.setManifestField('Description', 'Bob says it is his now');
    const outcome = await bob.builder.publish();
    expect(outcome).toContain('Not the owner:');
    expect(outcome).toContain(`it is ${alice.role}'s plugin, and only its owner can publish versions of it`);
    // The refusal's typed details name a free name; the dialog offers it in one click.
    const rename = bob.browser.page.getByTestId('publish-dialog').getByRole('button', { name: /^Rename to word-teller-[a-z0-9-]+ and publish$/ });
    expect(await rename.count()).toBe(1);
    await eventually(() => bob.builder.publishStep('version').getAttribute('data-state')).toBe('failed');
    await eventually(() => bob.builder.publishStep('deliver').getAttribute('data-state')).toBe('waiting');
    await screenshot(bob.browser.page, 'publish-refused');
    await bob.builder.closePublish();
    const versions = await database.query<{ version: string }>('SELECT version FROM marketplace.versions WHERE plugin = $1', ['word-teller']);
    expect(versions).toEqual([{ version: '1.0.0' }]);
  });

  it('with the database unreachable, Bob browses the cached catalog and Alice\'s next publish is queued', async () => {
    await proxy.down();
    await bob.market.open();
    await bob.market.search('teller');
    await bob.market.offlineBadge().waitFor();
    await bob.market.card('word-teller').waitFor();
    await screenshot(bob.browser.page, 'marketplace-offline');

    await alice.builder.setManifestField('Version', '1.1.0');
    const outcome = await alice.builder.publish();
    expect(outcome).toMatch(/^Queued\. The marketplace database is unreachable, so word-teller 1\.1\.0 waits on this machine/);
    await eventually(() => alice.builder.publishStep('version').getAttribute('data-state')).toBe('skipped');
    await eventually(() => alice.builder.publishStep('deliver').getAttribute('data-state')).toBe('skipped');
    // The signing key's fingerprint and the database address wrap inside the dialog instead of running past its edge.
    const dialog = alice.browser.page.getByTestId('publish-dialog');
    expect(await dialog.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
    await screenshot(alice.browser.page, 'publish-queued');
    await alice.browser.page.getByRole('button', { name: 'See your publishes' }).click();
    const waiting = alice.market.publishes().filter({ hasText: '1.1.0' });
    await eventually(() => waiting.getAttribute('data-status')).toBe('pending');
    await new AppShell(alice.browser.page).badge('marketplace').filter({ hasText: /offline · 1 waiting/ }).waitFor();
    await screenshot(alice.browser.page, 'marketplace-pending');
  });

  it('delivers the queued publish once the database is back, and Bob sees the update', async () => {
    await proxy.up();
    await alice.market.publishes().filter({ hasText: '1.1.0' }).and(alice.browser.page.locator('[data-status="delivered"]')).waitFor({ timeout: 60_000 });
    const versions = await database.query<{ version: string; signer: string }>('SELECT version, signer FROM marketplace.versions WHERE plugin = $1 ORDER BY version', ['word-teller']);
    expect(versions).toEqual([{ version: '1.0.0', signer: alice.role }, { version: '1.1.0', signer: alice.role }]);
    await screenshot(alice.browser.page, 'marketplace-delivered');

    await bob.market.search('word-teller');
    await bob.market.card('word-teller').filter({ hasText: 'Update available (installed 1.0.0)' }).waitFor();
    await eventually(() => bob.market.offlineBadge().count()).toBe(0);
    // A search that reached the database puts the header badge back online without waiting for its 30 s check.
    await new AppShell(bob.browser.page).badge('marketplace').filter({ hasText: /^Marketplace: online/ }).waitFor({ timeout: 15_000 });
    await new AppShell(alice.browser.page).badge('marketplace').filter({ hasText: /^Marketplace: online/ }).waitFor({ timeout: 15_000 });
    await bob.market.openDetail('word-teller');
    const consent = await bob.market.installWithConsent(/^Update to 1\.1\.0$/);
    expect(consent).toContain('Update word-teller to 1.1.0?');
    await bob.browser.page.getByRole('status').filter({ hasText: 'Updated word-teller 1.1.0' }).waitFor();

    // "Open in Builder": a copy Bob owns, under a new name and a fresh version.
    await bob.market.action('Open in Builder').click();
    await bob.builder.editorReady();
    await bob.browser.page.locator('details.manifest > summary', { hasText: 'word-teller-copy 0.1.0' }).waitFor();
    await eventually(() => bob.builder.code()).toContain('print("counting words")');
  });

  it('shows Home with the recent plugins and both badges, in both themes', async () => {
    const page = alice.browser.page;
    await new AppShell(page).go('Home');
    await page.getByRole('list', { name: 'Recent plugins' }).getByText('word-teller').waitFor();
    await new AppShell(page).badge('marketplace').filter({ hasText: /^Marketplace: online/ }).waitFor();
    await eventually(() => new AppShell(page).badge('ollama').innerText()).toMatch(/^Ollama 0\.12\.6/);
    await screenshot(page, 'home');
    await page.keyboard.press('ControlOrMeta+Shift+L');
    await screenshot(page, 'home-light');
    // Bob is in the Builder (his copy): back to the plugin's page in the Marketplace, then the light theme.
    await bob.market.open();
    await bob.market.search('word-teller');
    await bob.market.openDetail('word-teller');
    await bob.browser.page.locator('[data-testid="readonly-code"][data-state="ready"] .monaco-editor').waitFor();
    await bob.browser.page.keyboard.press('ControlOrMeta+Shift+L');
    await eventually(() => bob.browser.page.locator('html').getAttribute('data-theme')).toBe('light');
    await screenshot(bob.browser.page, 'marketplace-detail-light');
    expect(alice.browser.pageErrors.filter((e) => !/Failed to load resource/.test(e))).toEqual([]);
  });
});
