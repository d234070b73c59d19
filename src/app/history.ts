import { randomBytes } from 'node:crypto';
import type { StoredRun } from '../library/history.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { runRecordSchema, type RunRecord, type RunSummary } from '../shared/api/schemas/runs.ts';
import type { LibraryAccess } from './library-access.ts';

/** Where past runs are kept. */
export interface RunHistory {
  add(record: RunRecord): Promise<void>;
  list(query: { limit: number; pluginName?: string }): Promise<RunSummary[]>;
  get(id: string): Promise<RunRecord>;
  /** Settles when every save under way has finished (before the app closes its database). */
  flush?(): Promise<void>;
}

/** Ids sort by time: a base-36 timestamp, then randomness. */
export function newRunId(now = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}-${randomBytes(5).toString('hex')}`;
}

const ID_PATTERN = /^[0-9a-z]{9}-[0-9a-f]{10}$/;
const KEEP_RUNS = 200;

export function summarize(record: RunRecord): RunSummary {
  return {
    id: record.id,
    startedAt: record.startedAt,
    pluginName: record.pluginName,
    source: record.source,
    ok: record.result.ok,
    errorCode: record.result.error?.code ?? null,
    durationMs: record.result.durationMs,
    aiCalls: record.result.aiCalls.length,
  };
}

/**
 * The run history lives in the library's local database (PGlite), beside installed plugins and
 * the outbox: one store for the app, the CLI and the marketplace. The newest KEEP_RUNS are kept.
 */
export class LibraryRunHistory implements RunHistory {
  /** Saves still under way: reads wait for them, so a run is in the history as soon as it is listed. */
  private saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly library: LibraryAccess) {}

  add(record: RunRecord): Promise<void> {
    const saved = this.saving.then(() => this.save(record));
    this.saving = saved.catch(() => undefined);
    return saved;
  }

  async flush(): Promise<void> {
    await this.saving;
  }

  private async save(record: RunRecord): Promise<void> {
    if (!ID_PATTERN.test(record.id)) throw new WasmForgeError('BAD_INPUT', `Bad run id "${record.id}"`);
    await this.library.use(async (library) => {
      await library.recordRun({
        key: record.id, source: record.source, plugin: record.pluginName, input: record.input,
        result: record.result, startedAt: record.startedAt,
      });
      await library.pruneRuns(KEEP_RUNS);
    });
  }

  async list(query: { limit: number; pluginName?: string }): Promise<RunSummary[]> {
    await this.saving;
    if (!this.library.exists()) return [];
    const rows = await this.library.use((library) => library.listRuns({ plugin: query.pluginName, limit: query.limit }));
    return rows.map(toApiRecord).filter((record) => record !== undefined).map(summarize);
  }

  async get(id: string): Promise<RunRecord> {
    await this.saving;
    const row = ID_PATTERN.test(id) && this.library.exists() ? await this.library.use((library) => library.getRun(id)) : undefined;
    const record = row && toApiRecord(row);
    if (!record) throw new WasmForgeError('NOT_FOUND', `No run "${id.slice(0, 40)}" in the history`);
    return record;
  }
}

/** Rows the app wrote (they carry its key and one of its sources); runs from elsewhere are not shown. */
function toApiRecord(row: StoredRun): RunRecord | undefined {
  const parsed = runRecordSchema.safeParse({
    id: row.key, startedAt: row.startedAt, pluginName: row.pluginName, source: row.source, input: row.input, result: row.result,
  });
  return parsed.success ? parsed.data : undefined;
}
