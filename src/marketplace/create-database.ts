import { parse } from 'pg-connection-string';
import { WasmForgeError } from '../shared/errors.ts';
import { openPgPool } from './db/connect.ts';
import { isMissingDatabase } from './db/errors.ts';

/** PostgreSQL's "permission denied". */
const NOT_ALLOWED = '42501';

/**
 * `wasmforge db migrate` on a database that is not there yet: creates it, connected to the same
 * server as the same role (through its `postgres` maintenance database), when that role may
 * (CREATEDB or superuser); otherwise says the one command that does. Returns whether it created one.
 */
export async function createDatabaseIfMissing(databaseUrl: string): Promise<boolean> {
  if (!(await isMissing(databaseUrl))) return false;
  const name = parse(databaseUrl).database;
  if (!name) return false;
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const db = openPgPool(maintenance.toString(), { max: 1 });
  try {
    await db.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    return true;
  } catch (error) {
    if (pgCode(error) !== NOT_ALLOWED && !isMissingDatabase(error)) throw error;
    const user = parse(databaseUrl).user;
    throw new WasmForgeError('DB_UNAVAILABLE', `The database "${name}" does not exist, and ${user ? `the role ${user}` : 'this role'} may not create it`, {
      hint: `Create it once as a superuser: \`createdb ${user ? `--owner ${user} ` : ''}${name}\` (or \`CREATE DATABASE ${quoteIdentifier(name)}${user ? ` OWNER ${quoteIdentifier(user)}` : ''};\` in psql), then run \`wasmforge db migrate\` again.`,
      cause: error,
    });
  } finally {
    await db.close().catch(() => undefined);
  }
}

async function isMissing(databaseUrl: string): Promise<boolean> {
  const db = openPgPool(databaseUrl, { max: 1 });
  try {
    await db.query('SELECT 1');
    return false;
  } catch (error) {
    return isMissingDatabase(error);
  } finally {
    await db.close().catch(() => undefined);
  }
}

function pgCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
