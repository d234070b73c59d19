import type { MarketStatus } from '../shared/api/schemas/marketplace.ts';
import { WasmForgeError, toErrorInfo } from '../shared/errors.ts';
import { resolveDataHome } from '../library/home.ts';
import { openLocalDatabase } from '../library/local-db.ts';
import { describeDatabaseUrl, openPgPool } from './db/connect.ts';
import { guarded, isMissingDatabase } from './db/errors.ts';
import type { SqlExecutor } from './db/executor.ts';
import { migrationStatus } from './db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from './db/schema.ts';
import { configuredDatabaseUrl } from './service.ts';

/** One answer for `wasmforge doctor` and the app's badges (the API's market.status, plus whether all is well): is the marketplace usable, and if not, the fix. */
export type MarketplaceHealth = MarketStatus & { ok: boolean };

export async function marketplaceHealth(options: { home?: string; databaseUrl?: string | null } = {}): Promise<MarketplaceHealth> {
  const home = resolveDataHome(options.home);
  const url = options.databaseUrl === undefined ? await configuredDatabaseUrl(home) : options.databaseUrl;
  const pendingOutbox = await countPending(home);
  if (!url) return localHealth(home, pendingOutbox);
  const target = describeDatabaseUrl(url);
  const db = openPgPool(url, { max: 1, connectTimeoutMs: 3000 });
  try {
    const probe = await probeDatabase(db);
    const queued = pendingOutbox ? ` (${pendingOutbox} publication(s) waiting in the outbox)` : '';
    return {
      ok: probe.schema === 'current', mode: 'shared', target, reachable: true, latencyMs: probe.latencyMs, schema: probe.schema,
      user: probe.user, pendingOutbox,
      summary: `marketplace ${target}: reachable in ${probe.latencyMs} ms as ${probe.user}, schema ${probe.schema}${queued}`,
      ...(probe.schema === 'current' ? {} : { fix: 'Run `wasmforge db migrate --url <owner url>` as the database owner.' }),
    };
  } catch (error) {
    const info = toErrorInfo(error);
    const cause = error instanceof WasmForgeError ? error.cause : error;
    const problem = info.code === 'UNAUTHORIZED' ? 'login-refused' : isMissingDatabase(cause) ? 'no-database' : 'unreachable';
    return {
      ok: false, mode: 'shared', target, reachable: false, latencyMs: null, schema: 'unknown', user: null, pendingOutbox, problem,
      // The message says what is wrong (db/errors.ts, the words every call uses: "… is unreachable: …", a
      // refused login, a missing database); the line names the database, so the message here does not.
      summary: `marketplace ${target}: ${info.message}`,
      fix: info.hint ?? 'Check the database URL in Settings › Marketplace (DATABASE_URL for the CLI); publishes wait in the outbox meanwhile.',
    };
  } finally {
    await db.close().catch(() => undefined);
  }
}

async function probeDatabase(db: SqlExecutor): Promise<{ latencyMs: number; user: string; schema: MarketplaceHealth['schema'] }> {
  return guarded('check the marketplace', async () => {
    const started = performance.now();
    const [row] = await db.query<{ me: string }>('SELECT session_user::text AS me');
    const latencyMs = Math.round(performance.now() - started);
    const status = await migrationStatus(db, MARKETPLACE_MIGRATIONS);
    const schema = status.applied.length === 0 ? 'missing' : status.pending.length > 0 ? 'outdated' : 'current';
    return { latencyMs, user: row?.me ?? '', schema };
  });
}

async function localHealth(home: string, pendingOutbox: number | null): Promise<MarketplaceHealth> {
  const base = { mode: 'local' as const, target: home, latencyMs: null, user: null, pendingOutbox };
  if (pendingOutbox === null) {
    return { ...base, ok: false, reachable: false, schema: 'unknown', summary: 'local marketplace: the local database is busy or unreadable',
      fix: 'Close other WasmForge windows or commands using this data folder.', problem: 'busy' };
  }
  return { ...base, ok: true, reachable: true, schema: 'current', summary: `local marketplace in ${home} (single user; set a database URL to share)` };
}

/** Every waiting publication: they all follow the current marketplace (see outbox.ts). */
async function countPending(home: string): Promise<number | null> {
  try {
    const local = await openLocalDatabase(home, { lockWaitMs: 1000 });
    try {
      const [row] = await local.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM library.outbox WHERE status = 'pending'`);
      return row?.n ?? 0;
    } finally {
      await local.release();
    }
  } catch (error) {
    if (error instanceof WasmForgeError) return null;
    throw error;
  }
}
