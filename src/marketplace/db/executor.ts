import type { PGlite } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

/**
 * The one SQL surface the marketplace and the library use, so the same code runs on a shared
 * PostgreSQL (`pg`) and on the embedded PGlite. Every statement with values is parameterized;
 * `exec` (multi-statement, no parameters) is only for migrations.
 */
export interface SqlQueryable {
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

export interface SqlExecutor extends SqlQueryable {
  readonly dialect: 'pg' | 'pglite';
  /** BEGIN … COMMIT on one connection; ROLLBACK when `work` throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Runs `work` on one dedicated connection (session-level locks need this on a pool). */
  session<T>(work: (session: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function pgliteExecutor(db: PGlite, options: { ownsDb?: boolean } = {}): SqlExecutor {
  const executor: SqlExecutor = {
    dialect: 'pglite',
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      return (await db.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    transaction: (work) => db.transaction((tx) => work({
      query: async <T extends object>(sql: string, params: readonly unknown[] = []) => (await tx.query<T>(sql, [...params])).rows,
      exec: async (sql: string) => { await tx.exec(sql); },
    })),
    // PGlite is a single connection already.
    session: (work) => work(executor),
    async close() {
      if (options.ownsDb !== false && !db.closed) await db.close();
    },
  };
  return executor;
}

function clientQueryable(client: PoolClient): SqlQueryable {
  return {
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      return (await client.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

async function inTransaction<T>(client: PoolClient, work: (tx: SqlQueryable) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work(clientQueryable(client));
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // The connection may be gone (that is often why we are here); the server rolls back then.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** A pool-backed executor; a broken connection is destroyed rather than returned to the pool. */
export function pgExecutor(pool: Pool): SqlExecutor {
  async function withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let failure: Error | undefined;
    // A checked-out client whose backend dies emits 'error'; unheard, that would crash the process.
    const onError = (error: Error) => { failure ??= error; };
    client.on('error', onError);
    try {
      return await work(client);
    } catch (error) {
      failure ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.off('error', onError);
      client.release(failure && (isConnectionLoss(failure) || isSocketError(failure)) ? failure : undefined);
    }
  }
  return {
    dialect: 'pg',
    async query<T extends object>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query<T>(sql, [...params])).rows;
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    transaction: (work) => withClient((client) => inTransaction(client, work)),
    session: (work) => withClient((client) => work(clientExecutor(client))),
    close: () => pool.end(),
  };
}

function clientExecutor(client: PoolClient): SqlExecutor {
  const self: SqlExecutor = {
    dialect: 'pg',
    ...clientQueryable(client),
    transaction: (work) => inTransaction(client, work),
    session: (work) => work(self),
    close: async () => undefined,
  };
  return self;
}

/** SQLSTATE classes/codes and socket errors that mean "the database went away", not "the query was wrong". */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08007']);
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);

export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_SQLSTATES.has(code) || CONNECTION_ERRNOS.has(code))) return true;
  return /Connection terminated|connection timeout|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Cannot use a pool after calling end/i.test(error.message);
}

/**
 * Failures, short of losing the connection, after which the same transaction may well succeed:
 * PostgreSQL rolled it back whole (serialization failure, deadlock), or the server is briefly short
 * of something (resources, a lock) or cancelled the statement. Anything else is a real refusal.
 */
const TRANSIENT_SQLSTATES = new Set([
  '40001', '40P01', '40003', // serialization failure, deadlock, commit outcome unknown (a retry is idempotent)
  '53000', '53100', '53200', // insufficient resources, disk full, out of memory
  '57P05', '57014', // idle session timeout, statement cancelled
  '55P03', '58000', '58030', // lock not available, system error, I/O error
]);

export function isTransientFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_SQLSTATES.has(code);
}

function isSocketError(error: Error): boolean {
  return typeof (error as { syscall?: unknown }).syscall === 'string';
}
