import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { WasmForgeError } from '../shared/errors.ts';
import { openPgPool } from './db/connect.ts';
import { guarded } from './db/errors.ts';
import type { SqlExecutor } from './db/executor.ts';
import { migrate, migrationStatus, type MigrationStatus } from './db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from './db/schema.ts';

/**
 * Administration of a shared marketplace, run with the database owner's connection:
 * migrations, and one login role per author (a member of wasmforge_author).
 */
export const AUTHOR_ROLE_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export async function migrateMarketplace(databaseUrl: string): Promise<{ applied: number[]; status: MigrationStatus }> {
  return withPool(databaseUrl, async (db) => guarded('migrate the marketplace', async () => {
    const applied = await migrate(db, MARKETPLACE_MIGRATIONS);
    return { applied, status: await migrationStatus(db, MARKETPLACE_MIGRATIONS) };
  }));
}

/**
 * Creates an author's login role. Role names and passwords cannot be bound parameters in
 * CREATE ROLE, so the name is validated against a strict pattern and both are escaped by `pg`.
 */
export async function addAuthor(db: SqlExecutor, role: string, password?: string): Promise<{ role: string; password: string }> {
  if (!AUTHOR_ROLE_PATTERN.test(role) || role.startsWith('pg_') || role === 'wasmforge_author') {
    throw new WasmForgeError('BAD_INPUT', `"${role.slice(0, 80)}" is not a valid author name`, {
      hint: 'Lowercase letters, digits and underscores, starting with a letter, at most 63 characters.',
    });
  }
  const secret = password ?? randomBytes(18).toString('base64url');
  await guarded(`create author ${role}`, () => db.exec(
    `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS ` +
    `PASSWORD ${pg.escapeLiteral(secret)} IN ROLE wasmforge_author`));
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
