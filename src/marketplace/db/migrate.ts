import { createHash } from 'node:crypto';
import { WasmForgeError } from '../../shared/errors.ts';
import type { SqlExecutor, SqlQueryable } from './executor.ts';

/**
 * A small versioned migration runner that works the same on `pg` and PGlite (no library we have
 * supports both). Migrations of one set apply in order, each in its own transaction together with
 * its row in `wasmforge_migrations`, under a lock on that table that keeps two processes from
 * applying one migration twice. A shipped migration must never change: its checksum is compared.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationSet {
  /** e.g. "marketplace" or "library"; one database may hold several sets. */
  name: string;
  migrations: readonly Migration[];
}

export interface MigrationStatus {
  set: string;
  applied: number[];
  pending: number[];
}

const TABLE = 'public.wasmforge_migrations';

export async function migrationStatus(db: SqlExecutor, set: MigrationSet): Promise<MigrationStatus> {
  const applied = await appliedMigrations(db, set);
  return {
    set: set.name,
    applied: [...applied.keys()].sort((a, b) => a - b),
    pending: set.migrations.filter((m) => !applied.has(m.version)).map((m) => m.version),
  };
}

/** Applies every pending migration of `set`; returns the versions it applied. */
export async function migrate(db: SqlExecutor, set: MigrationSet): Promise<number[]> {
  assertWellFormed(set);
  // Fast path without any DDL or lock: lets a role without CREATE rights use a migrated database.
  const known = await appliedMigrations(db, set);
  verifyChecksums(set, known);
  if (set.migrations.every((migration) => known.has(migration.version))) return [];
  return db.session(async (session) => {
    await createMigrationsTable(session);
    const done: number[] = [];
    for (const migration of set.migrations) {
      if (known.has(migration.version)) continue;
      const applied = await session.transaction(async (tx) => {
        // Two migrators take turns here. Not an advisory lock: any role can take one of those
        // (an author held the marketplace's for good); this table lock needs rights authors lack.
        await tx.exec(`LOCK TABLE ${TABLE} IN SHARE ROW EXCLUSIVE MODE`);
        const now = await appliedMigrations(tx, set);
        verifyChecksums(set, now);
        if (now.has(migration.version)) return false;
        await tx.exec(migration.sql);
        await tx.query(`INSERT INTO ${TABLE} (set_name, version, name, checksum) VALUES ($1, $2, $3, $4)`,
          [set.name, migration.version, migration.name, checksum(migration)]);
        return true;
      });
      if (applied) done.push(migration.version);
    }
    return done;
  });
}

/** The first migrator creates the table; one racing it finds the table there (or loses the race harmlessly). */
async function createMigrationsTable(db: SqlQueryable): Promise<void> {
  await db.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
    set_name text NOT NULL, version integer NOT NULL, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (set_name, version))`).catch((error: unknown) => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== '23505' && code !== '42P07') throw error;
  });
}

async function appliedMigrations(db: SqlQueryable, set: MigrationSet): Promise<Map<number, string>> {
  const [exists] = await db.query<{ present: boolean }>(`SELECT to_regclass('${TABLE}') IS NOT NULL AS present`);
  if (!exists?.present) return new Map();
  const rows = await db.query<{ version: number; checksum: string }>(
    `SELECT version, checksum FROM ${TABLE} WHERE set_name = $1`, [set.name]);
  return new Map(rows.map((row) => [Number(row.version), row.checksum]));
}

function verifyChecksums(set: MigrationSet, applied: Map<number, string>): void {
  for (const migration of set.migrations) {
    const recorded = applied.get(migration.version);
    if (recorded !== undefined && recorded !== checksum(migration)) {
      throw new WasmForgeError('STORAGE_ERROR',
        `Migration ${set.name} #${migration.version} (${migration.name}) differs from the one applied to this database`,
        { hint: 'A shipped migration was edited; add a new migration instead.' });
    }
  }
}

function assertWellFormed(set: MigrationSet): void {
  set.migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migration set ${set.name}: expected version ${index + 1}, found ${migration.version}`);
    }
  });
}

function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}
