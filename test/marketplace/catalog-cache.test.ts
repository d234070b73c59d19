import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { openPgPool } from '../../src/marketplace/db/connect.ts';
import { Marketplace, type MarketplaceOptions } from '../../src/marketplace/service.ts';
import type { CatalogCopyBounds } from '../../src/marketplace/catalog-cache.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { acceptSyntax, createTestDatabase, makePlugin, tempHome, type TestDatabase } from './helpers.ts';

// The offline catalog is a real copy: after one successful online call, the whole catalog (not
// only the pages seen) can be browsed when the database is gone, and it is marked offline.
let database: TestDatabase;
let proxy: TcpProxy;
let alice: Marketplace;
let aliceHome: string;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
  proxy = await TcpProxy.toPostgres();
  const home = await tempHome('cache-alice');
  aliceHome = home.path;
  alice = await Marketplace.open({ home: aliceHome, databaseUrl: await database.author('alice'), checkSyntax: acceptSyntax });
  cleanup.push(home.remove, () => alice.close());
  await publish('cache-one', 'The first one', ['first']);
  await publish('cache-two', 'The second one', []);
  await publish('other-thing', 'Unrelated', ['misc']);
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await proxy?.close();
  await database?.drop();
});

async function publish(name: string, description: string, tags: string[]): Promise<void> {
  await alice.publish(await makePlugin(aliceHome, name, '1.0.0', 'print(1)\n', { description, tags }));
}

/** A second user who reaches the database through the proxy, so the test can take it away. */
async function reader(label: string, catalogCopy: Partial<CatalogCopyBounds>): Promise<Marketplace> {
  return (await readerFolder(label)).open({ catalogCopy });
}

/** A reader's data folder, to open (and reopen) a marketplace on, as the app and each CLI command do. */
async function readerFolder(label: string): Promise<{ databaseUrl: string; open: (options: Partial<MarketplaceOptions>) => Promise<Marketplace> }> {
  const home = await tempHome(label);
  const databaseUrl = proxy.url(await database.author(label));
  cleanup.push(home.remove);
  return {
    databaseUrl,
    async open(options) {
      const market = await Marketplace.open({ home: home.path, databaseUrl, checkSyntax: acceptSyntax, connectTimeoutMs: 1000, ...options });
      cleanup.push(() => market.close());
      return market;
    },
  };
}

/** Everything the reader can browse with the database gone. */
async function offlineCatalog(market: Marketplace, query = {}): Promise<string[]> {
  await proxy.down();
  try {
    const page = await market.search(query);
    expect(page.offline).toMatchObject({ reason: expect.stringContaining('unreachable') });
    return page.items.map((item) => item.name).sort();
  } finally {
    await proxy.up();
  }
}

describe('the offline copy of the catalog', () => {
  let bob: Marketplace;
  beforeAll(async () => {
    bob = await reader('cache_bob', { everyMs: 0, pageSize: 2 });
  });

  it('holds the whole catalog after one online search that showed only part of it', async () => {
    const online = await bob.search({ text: 'first' });
    expect(online).toMatchObject({ offline: null, items: [{ name: 'cache-one' }] });
    await bob.catalogSettled();
    expect(await offlineCatalog(bob)).toEqual(['cache-one', 'cache-two', 'other-thing']);
    expect(await offlineCatalog(bob, { text: 'second' })).toEqual(['cache-two']);
    await proxy.down();
    try {
      expect(await bob.search({ tag: 'misc' })).toMatchObject({
        offline: { reason: expect.stringContaining('unreachable') }, total: 1, items: [{ name: 'other-thing', description: 'Unrelated', latestVersion: '1.0.0', models: ['qwen2.5:1.5b'], ownerFingerprint: expect.stringMatching(/^SHA256:/) }],
      });
    } finally {
      await proxy.up();
    }
  });

  it('follows the catalog: unpublished plugins leave the copy, new ones join it', async () => {
    await alice.unpublish('other-thing');
    await publish('cache-three', 'The third one', []);
    expect((await bob.search({ text: 'nothing like this' })).items).toEqual([]);
    await bob.catalogSettled();
    expect(await offlineCatalog(bob)).toEqual(['cache-one', 'cache-three', 'cache-two']);
  });

  it('copies no more than its bound, and no more often than its interval', async () => {
    const carol = await reader('cache_carol', { everyMs: 60 * 60_000, maxPlugins: 1, pageSize: 1 });
    await carol.search({ text: 'second' });
    await carol.catalogSettled();
    // The page it saw, plus the first plugin by name; the copy stopped there and dropped nothing.
    expect(await offlineCatalog(carol)).toEqual(['cache-one', 'cache-two']);
    await publish('cache-alpha', 'Sorts first', []);
    await carol.search({ text: 'second' });
    await carol.catalogSettled();
    expect(await offlineCatalog(carol)).toEqual(['cache-one', 'cache-two']);
  });

  it('copies no more often than its interval across reopenings of the same data folder', async () => {
    const dave = await readerFolder('cache_dave');
    const searchAndClose = async (market: Marketplace): Promise<void> => {
      await market.search({ text: 'second' });
      await market.catalogSettled();
      await market.close();
    };
    await searchAndClose(await dave.open({ catalogCopy: { everyMs: 60 * 60_000 } }));
    await publish('cache-beta', 'Published after the first copy', []);
    await searchAndClose(await dave.open({ catalogCopy: { everyMs: 60 * 60_000 } }));
    expect(await offlineCatalog(await dave.open({}))).not.toContain('cache-beta');
    await searchAndClose(await dave.open({ catalogCopy: { everyMs: 0 } })); // the interval has passed
    expect(await offlineCatalog(await dave.open({}))).toContain('cache-beta');
  });

  it('makes no copy when opened for one command (catalogCopy: false)', async () => {
    const erin = await readerFolder('cache_erin');
    const market = await erin.open({ catalogCopy: false });
    await market.search({ text: 'second' });
    await market.catalogSettled();
    expect(await offlineCatalog(market)).toEqual(['cache-two']);
  });

  it('stops a copy on close instead of waiting for it, leaving the cache as it was and the copy still due', async () => {
    const fay = await readerFolder('cache_fay');
    // No query timeout: a close that waited for the held page would wait for ever.
    const executor = openPgPool(fay.databaseUrl, { connectTimeoutMs: 1000, queryTimeoutMs: 0 });
    const market = await fay.open({ executor, catalogCopy: { everyMs: 60 * 60_000, pageSize: 1 } });
    const firstPage = proxy.holdWhenClientSends('p.name > $1');
    await market.search({ text: 'second' });
    await firstPage.reached;
    await market.close(); // the page read is held back: waiting for it would never end
    firstPage.release();
    const reopened = await fay.open({ catalogCopy: { everyMs: 60 * 60_000 } });
    expect(await offlineCatalog(reopened)).toEqual(['cache-two']);
    // The stopped copy did not count: the next online search copies the catalog.
    await reopened.search({ text: 'second' });
    await reopened.catalogSettled();
    expect(await offlineCatalog(reopened)).toContain('cache-one');
  });
});
