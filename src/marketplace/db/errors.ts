import { WasmForgeError } from '../../shared/errors.ts';
import { versionNotGreater } from './version-rule.ts';
import { isConnectionLoss, isTransientFailure } from './executor.ts';

/** Maps driver and SQLSTATE errors to the product's typed errors; the database's refusals keep their reason. */
export function toMarketplaceError(error: unknown, action: string): WasmForgeError {
  if (error instanceof WasmForgeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const { code, detail, constraint } = (error ?? {}) as { code?: unknown; detail?: unknown; constraint?: unknown };
  if (isConnectionLoss(error)) {
    return new WasmForgeError('DB_UNAVAILABLE', `The marketplace database is unreachable (${action}): ${message}`, {
      hint: 'Check the database URL in Settings › Marketplace (DATABASE_URL for the CLI); publishes wait in the outbox.',
      cause: error,
    });
  }
  if (isTransientFailure(error)) {
    return new WasmForgeError('DB_UNAVAILABLE', `The marketplace database could not ${action} just now: ${message}`, {
      hint: 'Nothing was written; try again in a moment (queued publishes are retried by themselves).',
      cause: error,
    });
  }
  switch (code) {
    case 'WF001': // versions_only_go_up: DETAIL is the newest version
      return versionNotGreater(message, typeof detail === 'string' ? detail : null, error);
    case 'WF002':
    case 'WF003':
      return new WasmForgeError('BAD_INPUT', `The database refused to ${action}: ${message}`, { cause: error });
    case 'WF004': // identity: a key without proof, someone else's key, a group role as owner
      return new WasmForgeError('NOT_OWNER', `The database refused to ${action}: ${message}`, {
        hint: 'Publish as your own database role, with your own author key.', cause: error,
      });
    case 'WF005': // an author's daily quota
      return new WasmForgeError('QUOTA_EXCEEDED', `The database refused to ${action}: ${message}`, {
        hint: 'Try again tomorrow, or ask the marketplace administrator to raise marketplace.quotas.', cause: error,
      });
    case '54000':
      return new WasmForgeError('BAD_INPUT', `The database rejected the data (${action}): ${message}`, { cause: error });
    case '42501':
      if (/for schema marketplace/.test(message)) {
        return new WasmForgeError('UNAUTHORIZED', `Your database role is not an author of this marketplace (${message})`, {
          hint: 'Ask the marketplace\'s owner to admit you: `wasmforge db add-author <your role> --existing`.', cause: error,
        });
      }
      return new WasmForgeError('NOT_OWNER', `The database refused to ${action}: ${message}`, {
        hint: 'Only the owner of a plugin can change it.', cause: error,
      });
    case '23505':
      // The same version again: the primary key refuses it before versions_only_go_up runs.
      if (constraint === 'versions_pkey') return versionNotGreater(`Could not ${action}: that version is already published`, null, error);
      return new WasmForgeError('ALREADY_EXISTS', `Could not ${action}: ${message}`, { cause: error });
    case '23514':
    case '22001':
    case '22P02':
      return new WasmForgeError('BAD_INPUT', `The database rejected the data (${action}): ${message}`, { cause: error });
    case '28000':
    case '28P01':
      return new WasmForgeError('DB_UNAVAILABLE', `Cannot log in to the marketplace database: ${message}`, {
        hint: 'Check the user, password and database name in the connection URL.', cause: error,
      });
    case '3D000':
      return new WasmForgeError('DB_UNAVAILABLE', `The marketplace database does not exist: ${message}`, {
        hint: 'Run `wasmforge db migrate --url <owner url>` as the database owner: it creates the database and sets it up.', cause: error,
      });
    case '42P01':
    case '3F000':
      return new WasmForgeError('DB_UNAVAILABLE', `The marketplace database is not set up: ${message}`, {
        hint: 'Run `wasmforge db migrate` as the database owner.', cause: error,
      });
    default:
      return new WasmForgeError('STORAGE_ERROR', `Could not ${action}: ${message}`, { cause: error });
  }
}

/** PostgreSQL's "database does not exist" (3D000): the URL names a database that is not there. */
export function isMissingDatabase(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '3D000';
}

/**
 * A marketplace URL naming a database that does not exist is a setting to fix, like a database that
 * was never migrated (NOT_FOUND, with the same fix), not an outage: no offline answer, no queue.
 */
export function missingDatabase(target: string, error: unknown): WasmForgeError {
  const message = error instanceof Error ? error.message : String(error);
  return new WasmForgeError('NOT_FOUND', `There is no WasmForge marketplace in ${target}: ${message}`, {
    hint: 'Check the database name in the URL, or create the marketplace once with `wasmforge db migrate --url <owner url>` as the database owner.',
    cause: error,
  });
}

/** Runs `work`, converting any failure into a typed error. */
export async function guarded<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toMarketplaceError(error, action);
  }
}
