import { createHash } from 'node:crypto';
import { WasmForgeError } from '../../shared/errors.ts';
import type { SqlExecutor } from './executor.ts';

/**
 * A small versioned migration runner that works the same on `pg` and PGlite (no library we have
 * supports both). Migrations of one set apply in order, each in its own transaction together with
 * its row in `wasmforge_migrations`; a session advisory lock keeps two processes from migrating
 * one database at once. A shipped migration must never change: its checksum is compared.
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
    const lockKey = advisoryKey(set.name);
    await session.query('SELECT pg_advisory_lock($1)', [lockKey]);
    try {
      await session.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (
        set_name text NOT NULL, version integer NOT NULL, name text NOT NULL, checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (set_name, version))`);
      const applied = await appliedMigrations(session, set);
      verifyChecksums(set, applied);
      const done: number[] = [];
      for (const migration of set.migrations) {
        if (applied.has(migration.version)) continue;
        await session.transaction(async (tx) => {
          await tx.exec(migration.sql);
          await tx.query(`INSERT INTO ${TABLE} (set_name, version, name, checksum) VALUES ($1, $2, $3, $4)`,
            [set.name, migration.version, migration.name, checksum(migration)]);
        });
        done.push(migration.version);
      }
      return done;
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [lockKey]).catch(() => undefined);
    }
  });
}

async function appliedMigrations(db: SqlExecutor, set: MigrationSet): Promise<Map<number, string>> {
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

/** A stable signed 63-bit key per set name, for pg_advisory_lock(bigint). */
function advisoryKey(setName: string): string {
  const digest = createHash('sha256').update(`wasmforge-migrate:${setName}`).digest();
  return digest.readBigInt64BE(0).toString();
}
