import { WasmForgeError } from '../../shared/errors.ts';
import { versionNotGreater } from './version-rule.ts';
import { isConnectionLoss, isTransientFailure } from './executor.ts';

/**
 * Maps driver and SQLSTATE errors to the product's typed errors; the database's refusals keep their reason.
 * `target` names the database in an unreachable one (host:port/database, databaseAddress: no password).
 */
export function toMarketplaceError(error: unknown, action: string, target?: string): WasmForgeError {
  if (error instanceof WasmForgeError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const { code, detail, constraint } = (error ?? {}) as { code?: unknown; detail?: unknown; constraint?: unknown };
  if (isConnectionLoss(error)) return unreachable(error, message, target);
  if (isLoginRefused(error)) return loginRefused(error);
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

/**
 * One sentence, the database named where it is known: what the caller was doing is no news to the
 * user (an action label such as "prepare the marketplace schema" only named code).
 */
function unreachable(error: unknown, message: string, target: string | undefined): WasmForgeError {
  return new WasmForgeError('DB_UNAVAILABLE', `The marketplace database${target ? ` at ${target}` : ''} is unreachable: ${message}`, {
    hint: 'Check the database URL in Settings › Marketplace (DATABASE_URL for the CLI): its host and port, and that PostgreSQL runs there; publishes wait in the outbox.',
    cause: error,
  });
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
    cause: error, details: { missing: 'marketplace' },
  });
}

/**
 * The server refused the login: a wrong password (28P01), no user or an unknown one, or no
 * pg_hba.conf entry (28000), or no password where the server asks one (node-postgres says so before
 * sending anything). No retry can succeed with these credentials, so it is no outage either.
 */
export function isLoginRefused(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '28P01' || code === '28000' || (typeof message === 'string' && NO_PASSWORD.test(message));
}

/** The same, once mapped to a typed error (loginRefused keeps the driver's error as its cause). */
export function isLoginRefusal(error: unknown): boolean {
  return isLoginRefused(error instanceof WasmForgeError ? error.cause : error);
}

const NO_PASSWORD = /^SASL: .*client password must be a string/;
const NO_USER = /no PostgreSQL user name specified/;

/**
 * Where a marketplace login's user name and password go. The CLI refuses a password inside --url
 * (secret-arguments.ts), so a --url user's password comes from PGPASSWORD or ~/.pgpass, which
 * node-postgres reads when the URL has none.
 */
const CREDENTIALS = 'in the app, in Settings › Marketplace; for the CLI, the user in DATABASE_URL or --url, '
  + 'and the password in DATABASE_URL, PGPASSWORD or ~/.pgpass (--url takes none)';

/**
 * Wrong credentials as UNAUTHORIZED, whose message names what was refused and whose hint is the fix:
 * the one wording for every call, `wasmforge doctor` and Settings › Marketplace's test.
 */
export function loginRefused(error: unknown): WasmForgeError {
  const message = error instanceof Error ? error.message : String(error);
  if (NO_USER.test(message)) {
    return new WasmForgeError('UNAUTHORIZED', `The marketplace URL names no user, so the database refused the login (${message})`, {
      hint: `Name your user in the URL, postgres://user:password@host:5432/database: ${CREDENTIALS}. \`wasmforge db add-author\` prints an author's URL.`,
      cause: error,
    });
  }
  const problem = NO_PASSWORD.test(message) ? 'the server asks for a password and none was given (not in the URL, nor in PGPASSWORD or ~/.pgpass)' : message;
  return new WasmForgeError('UNAUTHORIZED', `The marketplace database refused the login: ${problem}`, {
    hint: `Check the user name and password: ${CREDENTIALS}. The marketplace's owner can give you a new password with \`wasmforge db add-author <role> --reset-password\`.`,
    cause: error,
  });
}

/** Runs `work`, converting any failure into a typed error (`target` as in toMarketplaceError). */
export async function guarded<T>(action: string, work: () => Promise<T>, target?: string): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toMarketplaceError(error, action, target);
  }
}
