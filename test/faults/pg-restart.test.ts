import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { acceptSyntax, makePlugin, tempHome } from '../marketplace/helpers.ts';
import { PgCluster, pgClusterUnavailable } from '../support/pg-cluster.ts';

/**
 * PostgreSQL itself stops (immediate shutdown, as a crash would) in the middle of publishes and
 * comes back: every publish attempted is delivered exactly once, none is lost or doubled.
 */
const CYCLES = 4;
const unavailable = pgClusterUnavailable();
if (unavailable) console.warn(`[skipped] PostgreSQL stopped under publishes: ${unavailable}`);
let cluster: PgCluster;
let url: string;

beforeAll(async () => {
  if (unavailable) return;
  cluster = await PgCluster.create('restart');
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE wasmforge');
  await admin.end();
  url = cluster.url('wasmforge');
  await migrateMarketplace(url);
}, 120_000);
afterAll(() => cluster?.drop());

async function deliveredIds(): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ id: string }>('SELECT publish_id::text AS id FROM marketplace.versions')).rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

/** Stops PostgreSQL (immediate) and starts it again, CYCLES times, at seeded moments. */
async function chaos(seed: number): Promise<void> {
  let random = seed;
  const next = () => (random = (random * 16807) % 2147483647) / 2147483647;
  for (let stop = 0; stop < CYCLES; stop++) {
    await new Promise((resolve) => setTimeout(resolve, 300 + next() * 900));
    await cluster.stop('immediate');
    await new Promise((resolve) => setTimeout(resolve, 200 + next() * 600));
    await cluster.start();
  }
}

it.skipIf(unavailable !== undefined)(`delivers every publish exactly once while PostgreSQL stops ${CYCLES} times under them`, async () => {
  const home = await tempHome('pg-restart');
  const market = await Marketplace.open({ home: home.path, databaseUrl: url, checkSyntax: acceptSyntax, connectTimeoutMs: 1000 });
  const attempted: string[] = [];
  const outcomes = { published: 0, queued: 0 };
  try {
    await market.ready();
    let stopping = true;
    const stops = chaos(20261202).finally(() => (stopping = false));
    const publishing = (async () => {
      for (let i = 0; stopping || i < 4; i++) {
        const outcome = await market.publish(await makePlugin(home.path, `restart-${i}`));
        attempted.push(outcome.publishId);
        outcomes[outcome.status] += 1;
      }
    })();
    await Promise.all([stops, publishing]);
    let report = await market.flushOutbox({ all: true });
    for (let tries = 0; report.pending > 0 && tries < 20; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      report = await market.flushOutbox({ all: true });
    }
    const delivered = await deliveredIds();
    console.log(`PostgreSQL stopped ${CYCLES} times mid-publish: ${attempted.length} publishes attempted (${outcomes.published} published at once, ${outcomes.queued} queued), ${delivered.length} delivered, ${delivered.length - new Set(delivered).size} doubled`);
    expect(outcomes.published).toBeGreaterThan(0);
    expect(report.pending).toBe(0);
    expect(delivered.sort()).toEqual([...attempted].sort());
    expect(outcomes.queued).toBeGreaterThan(0);
    expect((await market.outboxItems()).every((item) => item.status === 'delivered')).toBe(true);
  } finally {
    await market.close();
    await home.remove();
  }
}, 300_000);
