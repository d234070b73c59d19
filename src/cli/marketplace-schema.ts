import { describeDatabaseUrl, openPgPool } from '../marketplace/db/connect.ts';
import { migrationStatus } from '../marketplace/db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from '../marketplace/db/schema.ts';
import { WasmForgeError } from '../shared/errors.ts';

/**
 * A shared marketplace that was never migrated has no catalog: reading it must say so, with the
 * fix, rather than print an empty result (or, connected as the owner, quietly create the schema
 * from a search). Only the migrations table is read. When the database cannot be reached, nothing
 * is said here: the command goes on and answers from the offline copy as usual.
 */
export async function assertMarketplaceMigrated(databaseUrl: string | null | undefined): Promise<void> {
  if (!databaseUrl) return;
  const db = openPgPool(databaseUrl, { max: 1, connectTimeoutMs: 3000 });
  let applied: number[];
  try {
    applied = (await migrationStatus(db, MARKETPLACE_MIGRATIONS)).applied;
  } catch {
    return;
  } finally {
    await db.close().catch(() => undefined);
  }
  if (applied.length > 0) return;
  throw new WasmForgeError('NOT_FOUND', `There is no WasmForge marketplace in ${describeDatabaseUrl(databaseUrl)} yet: its schema was never created`, {
    hint: 'The database owner creates it once with `wasmforge db migrate --url <owner url>` (or `DATABASE_URL=<owner url> wasmforge db migrate`).',
  });
}
