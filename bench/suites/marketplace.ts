import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase, dropScratchDatabase } from '../../test/support/postgres.ts';
import { initPlugin, saveCode, saveManifest, openPlugin } from '../../src/library/workspace.ts';
import { addAuthor, migrateMarketplace } from '../../src/marketplace/admin.ts';
import { openPgPool } from '../../src/marketplace/db/connect.ts';
import { pgliteExecutor, type SqlExecutor } from '../../src/marketplace/db/executor.ts';
import { migrate } from '../../src/marketplace/db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from '../../src/marketplace/db/schema.ts';
import { openLocalDatabase } from '../../src/library/local-db.ts';
import { CatalogCopier, DEFAULT_CATALOG_COPY } from '../../src/marketplace/catalog-cache.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { MarketplaceStore } from '../../src/marketplace/store.ts';
import type { SearchQuery } from '../../src/marketplace/types.ts';
import { median, percentile, timed } from '../stats.ts';
import type { BenchRow } from '../types.ts';

// Publish, search (10,000 plugins), install on the real PostgreSQL in a scratch database it
// creates and drops; the same search on PGlite; PGlite open times. Syntax checks are excluded
// from publish (they are the sandbox's figure), so this measures check+sign+queue+transaction.
const SUITE = 'marketplace';
const PLUGIN_COUNT = 10_000;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const QUERIES: SearchQuery[] = [
  { text: 'summarize' }, { text: 'emails' }, { text: 'translate reviews' }, { text: 'plugin-4242' }, { text: 'json', sort: 'newest' },
  { text: 'nothing-like-this' }, { tag: 'math', sort: 'downloads' }, { text: 'code', tag: 'text' }, { text: 'ab1' }, {},
  { text: 'rewrite', page: 3 }, { text: 'classify text' },
];
const row = (metric: string, value: number, unit: string, target?: [string, boolean], note?: string): BenchRow =>
  ({ suite: SUITE, metric, value: Math.round(value * 100) / 100, unit, ...(target ? { target: target[0], pass: target[1] } : {}), ...(note ? { note } : {}) });

export async function run(): Promise<BenchRow[]> {
  const rows = await pgliteOpenTimes();
  const scratch = await createBenchDatabase();
  const work = await mkdtemp(join(tmpdir(), 'wasmforge-bench-'));
  try {
    rows.push(...(await publishAndInstall(scratch, work)));
    const admin = openPgPool(scratch.adminUrl);
    try {
      await seedPlugins(admin);
      rows.push(...(await searchLatency(admin, 'PostgreSQL')));
      rows.push(await catalogCopyTime(admin, work));
    } finally {
      await admin.close();
    }
    const lite = pgliteExecutor(await PGlite.create({ extensions: { pg_trgm } }));
    try {
      await migrate(lite, MARKETPLACE_MIGRATIONS);
      await seedPlugins(lite);
      rows.push(...(await searchLatency(lite, 'PGlite')));
    } finally {
      await lite.close();
    }
  } finally {
    await scratch.drop();
    await rm(work, { recursive: true, force: true });
  }
  return rows;
}

async function pgliteOpenTimes(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmforge-bench-pglite-'));
  try {
    const [firstMs, first] = await timed(() => PGlite.create(join(dir, 'db'), { extensions: { pg_trgm } }));
    await first.close();
    const [reopenMs, again] = await timed(() => PGlite.create(join(dir, 'db'), { extensions: { pg_trgm } }));
    await again.close();
    return [
      row('PGlite first open (initdb, new data folder)', firstMs, 'ms', undefined, 'once per user'),
      row('PGlite cold open (existing data folder, fresh process)', coldOpenInNewProcess(join(dir, 'db')), 'ms', undefined, 'includes compiling PGlite'),
      row('PGlite reopen (existing data folder)', reopenMs, 'ms', undefined, 'module already compiled in this process'),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Opens the database in a new node process, timed inside it (process start-up itself excluded). */
function coldOpenInNewProcess(dataDir: string): number {
  const script = `const t = performance.now();
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const db = await PGlite.create(${JSON.stringify(dataDir)}, { extensions: { pg_trgm } });
    await db.query('SELECT 1');
    console.log(performance.now() - t);
    await db.close();`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' }).trim());
}

async function publishAndInstall(scratch: Scratch, work: string): Promise<BenchRow[]> {
  const author = await scratch.author();
  const market = await Marketplace.open({ home: join(work, 'home'), databaseUrl: author, checkSyntax: async () => null });
  try {
    const dir = join(work, 'bench-tool');
    await initPlugin(dir, { name: 'bench-tool', version: '1.0.0' });
    await saveCode(dir, 'from platform_sdk import get_input, send_output\nsend_output(get_input())\n');
    await market.publish(dir); // first publish registers the author key
    const publishMs: number[] = [];
    for (let patch = 1; patch <= 40; patch++) {
      await saveManifest(dir, { ...(await openPlugin(dir)).manifest, version: `1.0.${patch}` });
      publishMs.push((await timed(() => market.publish(dir)))[0]);
    }
    const installMs: number[] = [];
    for (let i = 0; i < 40; i++) installMs.push((await timed(() => market.install('bench-tool')))[0]);
    return [
      row('publish latency p50', median(publishMs), 'ms', undefined, 'PostgreSQL, RLS, signed; syntax check excluded'),
      row('publish latency p99', percentile(publishMs, 99), 'ms'),
      row('install latency p50', median(installMs), 'ms', undefined, 'fetch + verify signature + save'),
      row('install latency p99', percentile(installMs, 99), 'ms'),
    ];
  } finally {
    await market.close();
  }
}

async function searchLatency(db: SqlExecutor, label: string): Promise<BenchRow[]> {
  const store = new MarketplaceStore(db);
  for (const query of QUERIES) await store.search(query); // warm caches and plans
  const samples: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const query of QUERIES) samples.push((await timed(() => store.search(query)))[0]);
  }
  const p50 = median(samples);
  return [
    row(`search latency p50 (${label}, ${PLUGIN_COUNT} plugins)`, p50, 'ms', ['≤ 20 ms', p50 <= 20]),
    row(`search latency p99 (${label}, ${PLUGIN_COUNT} plugins)`, percentile(samples, 99), 'ms'),
  ];
}

/** The background copy of the catalog for offline browsing, at its default bound, into a fresh local database. */
async function catalogCopyTime(db: SqlExecutor, work: string): Promise<BenchRow> {
  const local = await openLocalDatabase(join(work, 'catalog-home'));
  try {
    const copier = new CatalogCopier(new MarketplaceStore(db), local.db, 'bench', { ...DEFAULT_CATALOG_COPY, everyMs: 0 });
    const [ms] = await timed(async () => {
      copier.trigger();
      await copier.settled();
    });
    const [copied] = await local.db.query<{ n: number }>('SELECT count(*)::int AS n FROM library.catalog_cache');
    return row(`offline catalog copy (${copied?.n} of ${PLUGIN_COUNT} plugins)`, ms, 'ms', undefined, 'in the background after an online search');
  } finally {
    await local.release();
  }
}

async function seedPlugins(db: SqlExecutor): Promise<void> {
  await db.query(`INSERT INTO marketplace.authors (role_name, public_key, fingerprint) VALUES ('bench_seed', repeat('A', 43), 'SHA256:benchseedbenchseedbench')`);
  await db.query(`INSERT INTO marketplace.plugins (name, owner, description, tags, downloads, latest_version, updated_at)
    SELECT 'plugin-' || i, 'bench_seed',
      (ARRAY['Summarize', 'Translate', 'Classify', 'Extract', 'Rewrite'])[1 + i % 5] || ' '
        || (ARRAY['text', 'emails', 'reviews', 'json', 'code'])[1 + (i / 5) % 5] || ' quickly, ref ' || md5(i::text),
      ARRAY[(ARRAY['text', 'ai', 'json', 'math', 'lang'])[1 + i % 5]], (i * 7919) % 10000, '1.0.0', now() - i * interval '1 minute'
    FROM generate_series(1, ${PLUGIN_COUNT}) AS i`);
  await db.exec('ANALYZE marketplace.plugins');
}

interface Scratch {
  adminUrl: string;
  author(): Promise<string>;
  drop(): Promise<void>;
}

async function createBenchDatabase(): Promise<Scratch> {
  const suffix = randomBytes(4).toString('hex');
  const name = `wasmforge_bench_${suffix}`;
  const role = `wf_bench_${suffix}`;
  const adminUrl = await createScratchDatabase(name);
  await migrateMarketplace(adminUrl);
  return {
    adminUrl,
    async author() {
      const admin = openPgPool(adminUrl, { max: 1 });
      await addAuthor(admin, role, 'bench').finally(() => admin.close());
      const url = new URL(adminUrl);
      url.username = role;
      url.password = 'bench';
      return url.toString();
    },
    drop: () => dropScratchDatabase(name, [role]),
  };
}

