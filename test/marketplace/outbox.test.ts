import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { openPgPool } from '../../src/marketplace/db/connect.ts';
import type { SqlExecutor, SqlQueryable } from '../../src/marketplace/db/executor.ts';
import { backoffMs } from '../../src/marketplace/outbox.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { acceptSyntax, createTestDatabase, makePlugin, tempHome, UNREACHABLE_URL, type TestDatabase } from './helpers.ts';

type Fault = 'none' | 'down' | 'kill-before-version-insert' | 'lose-ack';

let database: TestDatabase;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await database?.drop();
});

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

/** A real connection with a switchable fault, to cut the database at exact points of a publish. */
function faultyExecutor(real: SqlExecutor, state: { fault: Fault }): SqlExecutor {
  const check = () => { if (state.fault === 'down') throw refused(); };
  const wrapTx = (tx: SqlQueryable): SqlQueryable => ({
    exec: (sql) => tx.exec(sql),
    async query(sql, params) {
      if (state.fault === 'kill-before-version-insert' && sql.includes('INSERT INTO marketplace.versions')) {
        state.fault = 'none';
        const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await database.admin.query('SELECT pg_terminate_backend($1)', [row?.pid]);
      }
      return tx.query(sql, params);
    },
  });
  const self: SqlExecutor = {
    dialect: 'pg',
    query: async (sql, params) => { check(); return real.query(sql, params); },
    exec: async (sql) => { check(); return real.exec(sql); },
    async transaction(work) {
      check();
      const result = await real.transaction((tx) => work(wrapTx(tx)));
      if (state.fault === 'lose-ack') {
        state.fault = 'none';
        throw Object.assign(new Error('Connection terminated unexpectedly'), {});
      }
      return result;
    },
    session: async (work) => { check(); return real.session((session) => work(session)); },
    close: () => real.close(),
  };
  return self;
}

async function setup(label: string, fault: Fault): Promise<{ market: Marketplace; home: string; url: string; state: { fault: Fault } }> {
  const home = await tempHome(label);
  const url = await database.author(label);
  const state = { fault };
  const market = await Marketplace.open({ home: home.path, databaseUrl: url, checkSyntax: acceptSyntax, executor: faultyExecutor(openPgPool(url), state) });
  cleanup.push(async () => { await market.close().catch(() => undefined); await home.remove(); });
  return { market, home: home.path, url, state };
}

async function versionRows(name: string): Promise<Array<{ version: string; publish_id: string }>> {
  return database.admin.query('SELECT version, publish_id::text AS publish_id FROM marketplace.versions WHERE plugin = $1', [name]);
}

describe('publishing while the database is unreachable', () => {
  it('queues the publish when nothing listens on the port, with backoff, and never queues it twice', async () => {
    const home = await tempHome('closed');
    cleanup.push(home.remove);
    const market = await Marketplace.open({ home: home.path, databaseUrl: UNREACHABLE_URL, checkSyntax: acceptSyntax, connectTimeoutMs: 1000 });
    cleanup.push(() => market.close());
    const dir = await makePlugin(home.path, 'offline-tool');
    const first = await market.publish(dir);
    const second = await market.publish(dir);
    expect(first).toMatchObject({ status: 'queued', name: 'offline-tool' });
    expect(second.publishId).toBe(first.publishId);
    const [item, ...rest] = await market.outboxItems();
    expect(rest).toEqual([]);
    expect(item).toMatchObject({ status: 'pending', attempts: 2, lastError: { code: 'DB_UNAVAILABLE' } });
    expect(Date.parse(item!.nextAttemptAt)).toBeGreaterThan(Date.now());
    expect(await market.search({ text: 'tool' })).toMatchObject({ offline: { reason: expect.stringContaining('unreachable') }, items: [] });
  });

  it('leaves no half-written version when the connection dies mid-transaction, then delivers from the outbox', async () => {
    const { market, home } = await setup('midway', 'kill-before-version-insert');
    const outcome = await market.publish(await makePlugin(home, 'midway-tool'));
    expect(outcome.status).toBe('queued');
    expect(await versionRows('midway-tool')).toEqual([]);
    expect(await database.admin.query(`SELECT 1 FROM marketplace.plugins WHERE name = 'midway-tool'`)).toEqual([]);

    const report = await market.flushOutbox({ all: true });
    expect(report.delivered).toEqual([outcome.publishId]);
    expect(await versionRows('midway-tool')).toEqual([{ version: '1.0.0', publish_id: outcome.publishId }]);
    expect((await market.flushOutbox({ all: true })).delivered).toEqual([]);
    expect(await versionRows('midway-tool')).toHaveLength(1);
  });

  it('does not double a version whose commit succeeded but whose acknowledgement was lost', async () => {
    const { market, home } = await setup('lostack', 'lose-ack');
    const outcome = await market.publish(await makePlugin(home, 'lost-ack'));
    expect(outcome.status).toBe('queued');
    expect(await versionRows('lost-ack')).toHaveLength(1);
    expect((await market.flushOutbox({ all: true })).delivered).toEqual([outcome.publishId]);
    expect(await versionRows('lost-ack')).toHaveLength(1);
    expect((await market.outboxItems())[0]).toMatchObject({ status: 'delivered' });
  });

  it('keeps the outbox across a restart and delivers when the database is back', async () => {
    const { market, home, url, state } = await setup('restart', 'down');
    const outcome = await market.publish(await makePlugin(home, 'patient'));
    expect(outcome.status).toBe('queued');
    await market.close();
    state.fault = 'none';
    const reopened = await Marketplace.open({ home, databaseUrl: url, checkSyntax: acceptSyntax, executor: faultyExecutor(openPgPool(url), state) });
    cleanup.push(() => reopened.close());
    expect((await reopened.flushOutbox({ all: true })).delivered).toEqual([outcome.publishId]);
    expect(await versionRows('patient')).toHaveLength(1);
  });

  it('browses the cached catalog, marked offline, when the database goes away', async () => {
    const { market, home, state } = await setup('browse', 'none');
    await market.publish(await makePlugin(home, 'cached-thing', '1.0.0', 'print(1)\n', { description: 'Cached for later', tags: ['cache'] }));
    const online = await market.search({ text: 'cached' });
    state.fault = 'down';
    const offline = await market.search({ text: 'cached' });
    expect(online.offline).toBeNull();
    expect(offline).toMatchObject({ offline: { reason: expect.stringContaining('unreachable') }, total: 1, items: [{ name: 'cached-thing', description: 'Cached for later', tags: ['cache'], models: ['qwen2.5:1.5b'], ownerFingerprint: online.items[0]?.ownerFingerprint }] });
    expect(online.items[0]?.ownerFingerprint).toMatch(/^SHA256:/);
    expect((await market.search({ tag: 'nope' })).items).toEqual([]);
  });
});

describe('retry backoff', () => {
  it('doubles from about 2 s and stops growing at 15 min', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffMs(n, mid))).toEqual([2000, 4000, 8000, 16000]);
    expect(backoffMs(40, mid)).toBe(15 * 60_000);
    expect(backoffMs(1, () => 0)).toBe(1600);
    expect(backoffMs(1, () => 1)).toBe(2400);
  });
});
