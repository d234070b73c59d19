import { authorsNotAdmitted } from './authors-admin.ts';
import { databaseAddress, openPgPool } from './db/connect.ts';
import { guarded } from './db/errors.ts';
import type { SqlExecutor } from './db/executor.ts';
import { migrate, migrationStatus, type MigrationStatus } from './db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from './db/schema.ts';

/**
 * Administration of a shared marketplace, run with the database owner's connection:
 * migrations, and one login role per author in this marketplace's own group (authors-admin.ts).
 */
export { addAuthor, admitExistingAuthor, AUTHOR_ROLE_PATTERN, authorGroup, listAuthors, resetAuthorPassword } from './authors-admin.ts';

/** `notAdmitted`: earlier authors on this server the owner may want to admit (authorsNotAdmitted). */
export async function migrateMarketplace(databaseUrl: string): Promise<{ applied: number[]; status: MigrationStatus; notAdmitted: string[] }> {
  return withPool(databaseUrl, async (db) => guarded('migrate the marketplace', async () => {
    const applied = await migrate(db, MARKETPLACE_MIGRATIONS);
    return { applied, status: await migrationStatus(db, MARKETPLACE_MIGRATIONS), notAdmitted: await authorsNotAdmitted(db) };
  }, databaseAddress(databaseUrl)));
}

export async function withPool<T>(databaseUrl: string, work: (db: SqlExecutor) => Promise<T>): Promise<T> {
  const db = openPgPool(databaseUrl, { max: 1 });
  try {
    return await work(db);
  } finally {
    await db.close().catch(() => undefined);
  }
}
