import pg from 'pg';
import { pgExecutor, type SqlExecutor } from './executor.ts';

/**
 * Opens a pool on a shared PostgreSQL. Idle connections can die (server restart,
 * pg_terminate_backend); the pool's error event is handled so that never crashes the process.
 */
export function openPgPool(databaseUrl: string, options: { max?: number; connectTimeoutMs?: number; queryTimeoutMs?: number } = {}): SqlExecutor {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 10_000,
    // A server that stops answering (network gone, not refused) must not hang a publish forever.
    query_timeout: options.queryTimeoutMs ?? 30_000,
    keepAlive: true,
    application_name: 'wasmforge',
  });
  pool.on('error', () => undefined);
  return pgExecutor(pool);
}

/** The URL without its password, to name a marketplace in the UI, logs and the outbox. */
export function describeDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `postgres://${user}${url.host}${url.pathname}`;
  } catch {
    return 'postgres://(unparseable url)';
  }
}

/** Where a URL's database is, for a message: host:port/database (no user, no password); undefined when it names no host. */
export function databaseAddress(databaseUrl: string): string | undefined {
  try {
    const url = new URL(databaseUrl);
    return url.host ? `${url.host}${url.pathname}` : undefined;
  } catch {
    return undefined;
  }
}
