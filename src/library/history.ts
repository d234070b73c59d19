import { z } from 'zod';
import { aiCallRecordSchema, engineNameSchema, type RunResult } from '../shared/run.ts';
import { errorInfoSchema } from '../shared/errors.ts';
import type { RunRecord } from '../shared/api/schemas/runs.ts';
import type { SqlQueryable } from '../marketplace/db/executor.ts';
import { isoDate } from '../marketplace/db/dates.ts';

/**
 * A run kept in the local database: the contract's RunRecord (its result whole, as the run returned
 * it), plus what the database adds. Rows from elsewhere (the CLI) may have no key and other sources;
 * the app shows only its own (src/app/history.ts).
 */
export type StoredRun = Omit<RunRecord, 'id' | 'source' | 'recording'> & {
  rowId: number;
  /** The caller's own id for the run (the app's), when it gave one. */
  key: string | null;
  /** Where the run came from: 'builder', 'workspace', 'installed', 'cli', … */
  source: string;
  version: string | null;
};

/** History keeps what a person can read; a run's text beyond this is cut with a marker. */
const MAX_STORED_CHARS = 256 * 1024;

export interface NewRun {
  plugin: string | null;
  version?: string | null;
  input: string;
  result: RunResult;
  key?: string;
  source?: string;
  /** When the run started (defaults to now). */
  startedAt?: string;
}

export async function recordRun(db: SqlQueryable, run: NewRun): Promise<number> {
  const { result } = run;
  const [row] = await db.query<{ id: number }>(`INSERT INTO library.runs (plugin, version, input, output, logs, error, ai_calls,
      duration_ms, engine, ok, run_key, source, created_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, COALESCE($13::timestamptz, now())) RETURNING id::int AS id`,
  [run.plugin, run.version ?? null, clip(run.input), clip(result.output), clip(result.logs),
    result.error ? jsonText(result.error) : null, jsonText(result.aiCalls), result.durationMs, result.engine, result.ok,
    run.key ?? null, run.source ?? 'cli', run.startedAt ?? null]);
  return Number(row?.id);
}

const RUN_COLUMNS = `id::int AS id, run_key, source, plugin, version, input, output, logs, error, ai_calls, duration_ms,
  engine, ok, created_at`;

export async function listRuns(db: SqlQueryable, options: { plugin?: string; limit?: number } = {}): Promise<StoredRun[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const rows = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM library.runs WHERE ($1::text IS NULL OR plugin = $1)
      ORDER BY created_at DESC, id DESC LIMIT $2`, [options.plugin ?? null, limit]);
  return rows.map(toStoredRun);
}

/** One run by the caller's key, or undefined. */
export async function getRun(db: SqlQueryable, key: string): Promise<StoredRun | undefined> {
  const [row] = await db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM library.runs WHERE run_key = $1`, [key]);
  return row ? toStoredRun(row) : undefined;
}

/** Keeps the newest `keep` runs and deletes the rest; returns how many went. */
export async function pruneRuns(db: SqlQueryable, keep: number): Promise<number> {
  const rows = await db.query(`DELETE FROM library.runs WHERE id IN (SELECT id FROM library.runs
      ORDER BY created_at DESC, id DESC OFFSET $1) RETURNING id`, [keep]);
  return rows.length;
}

function toStoredRun(row: RunRow): StoredRun {
  return {
    rowId: row.id, key: row.run_key, source: row.source, pluginName: row.plugin, version: row.version, input: row.input,
    startedAt: isoDate(row.created_at),
    result: {
      ok: row.ok, output: row.output, logs: row.logs,
      error: errorInfoSchema.nullable().catch(null).parse(row.error),
      aiCalls: z.array(aiCallRecordSchema).catch([]).parse(row.ai_calls),
      // The column may be null; every run writes its engine, so a row without one reads as the default.
      durationMs: Number(row.duration_ms), engine: engineNameSchema.catch('embedded').parse(row.engine),
    },
  };
}

export async function clearRuns(db: SqlQueryable, plugin?: string): Promise<number> {
  const rows = await db.query('DELETE FROM library.runs WHERE ($1::text IS NULL OR plugin = $1) RETURNING id', [plugin ?? null]);
  return rows.length;
}

interface RunRow {
  id: number; run_key: string | null; source: string; plugin: string | null; version: string | null; input: string; output: string; logs: string; error: unknown;
  ai_calls: unknown; duration_ms: number; engine: string | null; ok: boolean; created_at: Date;
}

/** PostgreSQL text cannot hold NUL, and a hostile plugin may print one: store U+FFFD instead. */
function clip(raw: string): string {
  const text = raw.replaceAll('\u0000', '\uFFFD');
  return text.length <= MAX_STORED_CHARS ? text : `${text.slice(0, MAX_STORED_CHARS)}\n… [truncated ${text.length - MAX_STORED_CHARS} characters]`;
}

function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? item.replaceAll('\u0000', '\uFFFD') : item));
}
