import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { WasmForgeError } from '../shared/errors.ts';
import { guarded } from './db/errors.ts';
import type { SqlExecutor } from './db/executor.ts';
import { AUTHOR_CONNECTION_LIMIT, AUTHOR_SESSION_SETTINGS } from './db/schema-bounds.ts';

/**
 * The authors of one shared marketplace, managed with the database owner's connection. Each author
 * is a login role in this marketplace's own group (db/schema-namespace.ts): roles are global to a
 * PostgreSQL server, and membership in another marketplace's group gives nothing here.
 */
export const AUTHOR_ROLE_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export interface AuthorLogin {
  role: string;
  password: string;
}

export interface AuthorListing {
  role: string;
  fingerprint: string | null;
  proven: boolean;
  plugins: number;
  canLogin: boolean;
}

/** This marketplace's author group (migration 9); before it, the database is not migrated. */
export async function authorGroup(db: SqlExecutor): Promise<string> {
  const [row] = await guarded('find the author group', () => db.query<{ name: string }>('SELECT marketplace.author_group() AS name'));
  if (!row) throw new WasmForgeError('DB_UNAVAILABLE', 'the marketplace has no author group', { hint: 'Run `wasmforge db migrate` as the database owner.' });
  return row.name;
}

/**
 * Creates an author's login role in this marketplace, bounded as migration 8 bounds existing ones.
 * Role names and passwords cannot be bound parameters in CREATE ROLE, so the name is checked
 * against a strict pattern and both are escaped by `pg`.
 */
export async function addAuthor(db: SqlExecutor, role: string, password?: string): Promise<AuthorLogin> {
  checkRoleName(role);
  const group = pg.escapeIdentifier(await authorGroup(db));
  const name = pg.escapeIdentifier(role);
  if (await roleExists(db, role)) {
    if ((await listAuthors(db)).some((author) => author.role === role)) {
      throw new WasmForgeError('ALREADY_EXISTS', `${role} is already an author of this marketplace`, {
        hint: `To give them a new password (and URL), run \`wasmforge db add-author ${role} --reset-password\`.`,
      });
    }
    throw new WasmForgeError('ALREADY_EXISTS', `a role named ${role} already exists on this PostgreSQL server`, {
      hint: `If it is the same person (an author of another marketplace on this server), admit it with \`wasmforge db add-author ${role} --existing\`; otherwise choose another name.`,
    });
  }
  const secret = password ?? newPassword();
  await guarded(`create author ${role}`, () => db.transaction(async (tx) => {
    await tx.exec(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS ` +
      `CONNECTION LIMIT ${AUTHOR_CONNECTION_LIMIT} PASSWORD ${pg.escapeLiteral(secret)} IN ROLE ${group}`);
    for (const [setting, value] of AUTHOR_SESSION_SETTINGS) await tx.exec(`ALTER ROLE ${name} SET ${setting} = ${pg.escapeLiteral(value)}`);
  }));
  return { role, password: secret };
}

/**
 * Admits a role that already exists on the server (say, an author of another marketplace there)
 * as an author of this one too; its password is not touched.
 */
export async function admitExistingAuthor(db: SqlExecutor, role: string): Promise<void> {
  checkRoleName(role);
  if (!await roleExists(db, role)) throw new WasmForgeError('NOT_FOUND', `no role named ${role} on this server`, { hint: 'Leave out --existing to create it.' });
  await refuseSuperuser(db, role);
  const group = pg.escapeIdentifier(await authorGroup(db));
  await guarded(`admit author ${role}`, () => db.exec(`GRANT ${group} TO ${pg.escapeIdentifier(role)}`));
}

/** A new password for an author of this marketplace who lost theirs (random unless given). */
export async function resetAuthorPassword(db: SqlExecutor, role: string, password?: string): Promise<AuthorLogin> {
  checkRoleName(role);
  const members = await listAuthors(db);
  if (!members.some((author) => author.role === role)) {
    throw new WasmForgeError('NOT_FOUND', `${role} is not an author of this marketplace`, { hint: 'See `wasmforge db authors` for who is.' });
  }
  const secret = password ?? newPassword();
  await guarded(`reset the password of ${role}`, () => db.exec(`ALTER ROLE ${pg.escapeIdentifier(role)} PASSWORD ${pg.escapeLiteral(secret)}`));
  return { role, password: secret };
}

/** Every member of this marketplace's author group, with its key (if registered) and plugin count. */
export async function listAuthors(db: SqlExecutor): Promise<AuthorListing[]> {
  const group = await authorGroup(db);
  return guarded('list the authors', () => db.query<AuthorListing>(`
    SELECT m.rolname AS role, a.fingerprint, coalesce(a.proven, false) AS proven, m.rolcanlogin AS "canLogin",
      (SELECT count(*)::int FROM marketplace.plugins p WHERE p.owner = m.rolname) AS plugins
    FROM pg_catalog.pg_roles m
    JOIN pg_catalog.pg_auth_members am ON am.member = m.oid
    JOIN pg_catalog.pg_roles g ON g.oid = am.roleid AND g.rolname = $1
    LEFT JOIN marketplace.authors a ON a.role_name = m.rolname
    ORDER BY m.rolname`, [group]));
}

/**
 * Roles that were authors on this server before marketplaces had their own groups (migration 9)
 * and have used no marketplace here: they may belong to this one or to another on the same server,
 * which only the owner knows, so they are named for `add-author --existing` instead of admitted.
 */
export async function authorsNotAdmitted(db: SqlExecutor): Promise<string[]> {
  const group = await authorGroup(db);
  const rows = await db.query<{ role: string }>(`
    SELECT m.rolname AS role FROM pg_catalog.pg_roles m
    JOIN pg_catalog.pg_auth_members am ON am.member = m.oid
    JOIN pg_catalog.pg_roles g ON g.oid = am.roleid AND g.rolname = 'wasmforge_author'
    WHERE m.rolcanlogin AND NOT m.rolsuper AND NOT pg_catalog.pg_has_role(m.oid, $1, 'MEMBER')
    ORDER BY m.rolname`, [group]);
  return rows.map((row) => row.role);
}

function checkRoleName(role: string): void {
  if (!AUTHOR_ROLE_PATTERN.test(role) || role.startsWith('pg_') || role.startsWith('wasmforge_author')) {
    throw new WasmForgeError('BAD_INPUT', `"${role.slice(0, 80)}" is not a valid author name`, {
      hint: 'Lowercase letters, digits and underscores, starting with a letter, at most 63 characters.',
    });
  }
}

async function roleExists(db: SqlExecutor, role: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = $1', [role])).length === 1;
}

async function refuseSuperuser(db: SqlExecutor, role: string): Promise<void> {
  const [row] = await db.query<{ super: boolean; login: boolean }>('SELECT rolsuper AS super, rolcanlogin AS login FROM pg_catalog.pg_roles WHERE rolname = $1', [role]);
  if (row?.super || !row?.login) {
    throw new WasmForgeError('BAD_INPUT', `${role} cannot be an author: it is ${row?.super ? 'a superuser' : 'not a login role'}`);
  }
}

function newPassword(): string {
  return randomBytes(18).toString('base64url');
}
