import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketplaceAccess } from '../../src/app/marketplace-access.ts';
import { OutboxRetrier } from '../../src/app/outbox-retrier.ts';
import { loadSettings, saveSettings } from '../../src/library/settings.ts';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import type { OutboxItem } from '../../src/marketplace/outbox.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { acceptSyntax, bumpVersion, createTestDatabase, makePlugin, tempHome, type TestDatabase } from './helpers.ts';

// The connection to PostgreSQL really goes away (a TCP proxy the test controls sits in between),
// or PostgreSQL really refuses a transaction; publishes wait in the outbox and arrive exactly once.

let database: TestDatabase;
let proxy: TcpProxy;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
  proxy = await TcpProxy.toPostgres();
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await proxy?.close();
  await database?.drop();
});

async function author(label: string): Promise<{ market: Marketplace; home: string; url: string }> {
  const home = await tempHome(label);
  const url = proxy.url(await database.author(label));
  const market = await Marketplace.open({ home: home.path, databaseUrl: url, checkSyntax: acceptSyntax, connectTimeoutMs: 2000 });
  cleanup.push(async () => { await market.close(); await home.remove(); });
  return { market, home: home.path, url };
}

async function versionRows(name: string): Promise<Array<{ version: string; publish_id: string }>> {
  return database.admin.query('SELECT version, publish_id::text AS publish_id FROM marketplace.versions WHERE plugin = $1 ORDER BY created_at', [name]);
}

async function outboxItem(market: Marketplace, id: string): Promise<OutboxItem> {
  const item = await market.outbox.get(id);
  if (!item) throw new Error(`outbox item ${id} is missing`);
  return item;
}

describe('a publish whose connection is cut mid-transaction', () => {
  it('leaves neither the plugin row nor the version behind, then is delivered once when the database is back', async () => {
    const { market, home } = await author('cut');
    await market.ready();
    // The plugin row has been inserted in this transaction when the version insert is sent: cut there.
    const cut = proxy.cutWhenClientSends('INSERT INTO marketplace.versions');
    const outcome = await market.publish(await makePlugin(home, 'cut-tool'));
    await cut;
    expect(outcome).toMatchObject({ status: 'queued', reason: expect.stringContaining('unreachable') });
    expect(await database.admin.query(`SELECT 1 FROM marketplace.plugins WHERE name = 'cut-tool'`)).toEqual([]);
    expect(await versionRows('cut-tool')).toEqual([]);
    expect(await outboxItem(market, outcome.publishId)).toMatchObject({ status: 'pending', lastError: { code: 'DB_UNAVAILABLE' } });

    // Still down: another attempt changes nothing and loses nothing.
    expect(await market.flushOutbox({ all: true })).toMatchObject({ delivered: [], failed: [], pending: 1 });
    await proxy.up();
    expect((await market.flushOutbox({ all: true })).delivered).toEqual([outcome.publishId]);
    expect((await market.flushOutbox({ all: true })).delivered).toEqual([]);
    expect(await versionRows('cut-tool')).toEqual([{ version: '1.0.0', publish_id: outcome.publishId }]);
    expect(await outboxItem(market, outcome.publishId)).toMatchObject({ status: 'delivered' });
  });
});

describe('a publish PostgreSQL refuses for now (serialization failure)', () => {
  it('stays queued instead of failing for good, and is delivered once on the next attempt', async () => {
    const { market, home, url } = await author('busy');
    const role = new URL(url).username;
    // An administrator may run the marketplace at REPEATABLE READ; a concurrent change then aborts a transaction with 40001.
    await database.admin.exec(`ALTER ROLE ${role} SET default_transaction_isolation = 'repeatable read'`);
    const dir = await makePlugin(home, 'busy-tool', '1.0.0');
    expect(await market.publish(dir)).toMatchObject({ status: 'published' });

    await bumpVersion(dir, '1.1.0', 'print("two")\n');
    // The publish transaction has its snapshot (first statement done) when it sends the plugin upsert: hold that, change the row meanwhile.
    const held = proxy.holdWhenClientSends('INSERT INTO marketplace.plugins');
    const publishing = market.publish(dir);
    await held.reached;
    await database.admin.query(`UPDATE marketplace.plugins SET updated_at = now() WHERE name = 'busy-tool'`);
    held.release();
    const outcome = await publishing;
    expect(outcome).toMatchObject({ status: 'queued', reason: expect.stringContaining('could not serialize') });
    expect(await outboxItem(market, outcome.publishId)).toMatchObject({ status: 'pending', attempts: 1 });
    expect((await versionRows('busy-tool')).map((row) => row.version)).toEqual(['1.0.0']);

    expect((await market.flushOutbox({ all: true })).delivered).toEqual([outcome.publishId]);
    expect((await market.flushOutbox({ all: true })).delivered).toEqual([]);
    expect((await versionRows('busy-tool')).map((row) => row.version)).toEqual(['1.0.0', '1.1.0']);
  });
});

describe('the app\'s outbox retrier', () => {
  it('waits for each item\'s backoff before trying again, then delivers it exactly once', async () => {
    const home = await tempHome('retrier');
    cleanup.push(home.remove);
    const settings = await loadSettings(home.path);
    await saveSettings(home.path, { ...settings, marketplace: { ...settings.marketplace, databaseUrl: proxy.url(await database.author('retrier')) } });
    const access = new MarketplaceAccess(home.path, acceptSyntax);
    cleanup.push(() => access.close());
    const dir = await makePlugin(home.path, 'patient-tool');

    await proxy.down();
    const outcome = await access.use((market) => market.publish(dir));
    expect(outcome.status).toBe('queued');
    const queued = await access.use((market) => outboxItem(market, outcome.publishId));
    expect(queued).toMatchObject({ status: 'pending', attempts: 1 });
    await proxy.up();

    // It looks every 50 ms, but the item's next attempt is about 2 s away: nothing may be sent before then.
    const retrier = new OutboxRetrier(access, 50);
    cleanup.push(async () => retrier.stop());
    retrier.wake();
    let item = queued;
    while (item.status === 'pending') {
      await new Promise((done) => setTimeout(done, 100));
      item = await access.use((market) => outboxItem(market, outcome.publishId));
    }
    expect(item).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(Date.parse(item.deliveredAt!)).toBeGreaterThanOrEqual(Date.parse(queued.nextAttemptAt));
    expect(await versionRows('patient-tool')).toEqual([{ version: '1.0.0', publish_id: outcome.publishId }]);
  });
});
