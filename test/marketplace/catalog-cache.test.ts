import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import type { CatalogCopyBounds } from '../../src/marketplace/catalog-cache.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { acceptSyntax, createTestDatabase, makePlugin, PG_HOST, tempHome, type TestDatabase } from './helpers.ts';

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
  const server = new URL(PG_HOST);
  proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
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
  const home = await tempHome(label);
  const market = await Marketplace.open({
    home: home.path, databaseUrl: proxy.url(await database.author(label)), checkSyntax: acceptSyntax, connectTimeoutMs: 1000, catalogCopy,
  });
  cleanup.push(home.remove, () => market.close());
  return market;
}

/** Everything the reader can browse with the database gone. */
async function offlineCatalog(market: Marketplace, query = {}): Promise<string[]> {
  await proxy.down();
  try {
    const page = await market.search(query);
    expect(page.offline).toBe(true);
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
    expect(online).toMatchObject({ offline: false, items: [{ name: 'cache-one' }] });
    await bob.catalogSettled();
    expect(await offlineCatalog(bob)).toEqual(['cache-one', 'cache-two', 'other-thing']);
    expect(await offlineCatalog(bob, { text: 'second' })).toEqual(['cache-two']);
    await proxy.down();
    try {
      expect(await bob.search({ tag: 'misc' })).toMatchObject({
        offline: true, total: 1, items: [{ name: 'other-thing', description: 'Unrelated', latestVersion: '1.0.0', models: ['qwen2.5:1.5b'], ownerFingerprint: expect.stringMatching(/^SHA256:/) }],
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
});
