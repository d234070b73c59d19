import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { WasmForgeError } from '../shared/errors.ts';
import { openPgPool } from './db/connect.ts';
import { guarded } from './db/errors.ts';
import type { SqlExecutor } from './db/executor.ts';
import { migrate, migrationStatus, type MigrationStatus } from './db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from './db/schema.ts';
import { AUTHOR_CONNECTION_LIMIT, AUTHOR_SESSION_SETTINGS } from './db/schema-bounds.ts';

/**
 * Administration of a shared marketplace, run with the database owner's connection:
 * migrations, and one login role per author (a member of wasmforge_author, which carries the
 * grants; acting as that group gains nothing, see db/schema-identity.ts), with a connection limit
 * and session timeouts so one author cannot hold what everyone needs (db/schema-bounds.ts).
 */
export const AUTHOR_ROLE_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export async function migrateMarketplace(databaseUrl: string): Promise<{ applied: number[]; status: MigrationStatus }> {
  return withPool(databaseUrl, async (db) => guarded('migrate the marketplace', async () => {
    const applied = await migrate(db, MARKETPLACE_MIGRATIONS);
    return { applied, status: await migrationStatus(db, MARKETPLACE_MIGRATIONS) };
  }));
}

/**
 * Creates an author's login role, bounded as migration 8 bounds existing ones. Role names and
 * passwords cannot be bound parameters in CREATE ROLE, so the name is validated against a strict pattern and both are escaped by `pg`.
 */
export async function addAuthor(db: SqlExecutor, role: string, password?: string): Promise<{ role: string; password: string }> {
  if (!AUTHOR_ROLE_PATTERN.test(role) || role.startsWith('pg_') || role === 'wasmforge_author') {
    throw new WasmForgeError('BAD_INPUT', `"${role.slice(0, 80)}" is not a valid author name`, {
      hint: 'Lowercase letters, digits and underscores, starting with a letter, at most 63 characters.',
    });
  }
  const secret = password ?? randomBytes(18).toString('base64url');
  const name = pg.escapeIdentifier(role);
  await guarded(`create author ${role}`, () => db.transaction(async (tx) => {
    await tx.exec(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS ` +
      `CONNECTION LIMIT ${AUTHOR_CONNECTION_LIMIT} PASSWORD ${pg.escapeLiteral(secret)} IN ROLE wasmforge_author`);
    for (const [setting, value] of AUTHOR_SESSION_SETTINGS) await tx.exec(`ALTER ROLE ${name} SET ${setting} = ${pg.escapeLiteral(value)}`);
  }));
  return { role, password: secret };
}

export async function withPool<T>(databaseUrl: string, work: (db: SqlExecutor) => Promise<T>): Promise<T> {
  const db = openPgPool(databaseUrl, { max: 1 });
  try {
    return await work(db);
  } finally {
    await db.close().catch(() => undefined);
  }
}
