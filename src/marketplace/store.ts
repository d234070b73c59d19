import semver from 'semver';
import { WasmForgeError } from '../shared/errors.ts';
import { parseManifest } from '../library/manifest.ts';
import { storedFiles } from '../library/signed-version.ts';
import type { SqlExecutor, SqlQueryable } from './db/executor.ts';
import { guarded } from './db/errors.ts';
import { LISTED, MARKETPLACE_EXTRA_COLUMNS, MARKETPLACE_SOURCE, SUMMARY_COLUMNS, isoDate, searchPlugins, toSummary, trustedAuthor, type SummaryRow } from './search-sql.ts';
import type { FetchedVersion, PluginDetails, PluginSummary, SearchPage, SearchQuery, SignedVersion, VersionInfo } from './types.ts';

/**
 * The marketplace tables, through one SqlExecutor (pg or PGlite). The database enforces who may
 * do what (row-level security, column grants); the checks here only give clear messages first.
 */
export class MarketplaceStore {
  /**
   * `prove` signs a registration nonce with the author key whose public half is given (signing.ts signProof);
   * `target` names the database when it is unreachable (databaseAddress).
   */
  constructor(readonly db: SqlExecutor, private readonly prove?: ProveKey, readonly target?: string) {}

  /** The login role: what owns and signs (SET ROLE or a role= option does not change it). */
  async whoami(): Promise<string> {
    return this.guard('identify the database user', async () => {
      const [row] = await this.db.query<{ me: string }>('SELECT session_user::text AS me');
      return row?.me ?? '';
    });
  }

  /**
   * The name this author goes by on cards and pages (empty: none, the role shows); their own row only.
   * False when this login is no author here yet (no publish so far): there was no row to name.
   */
  async setDisplayName(name: string): Promise<boolean> {
    return this.guard('set your display name', async () => {
      await this.db.query('SELECT marketplace.set_display_name($1)', [name.slice(0, 100)]);
      const [row] = await this.db.query<{ known: boolean }>('SELECT EXISTS (SELECT 1 FROM marketplace.authors WHERE role_name = session_user) AS known');
      return row?.known === true;
    });
  }

  /**
   * Writes one signed version in one transaction. Idempotent on `publishId`: delivering the same
   * publication twice (a retry after a lost acknowledgement) returns "earlier" and writes nothing.
   */
  async publish(signed: SignedVersion, publishId: string): Promise<'written' | 'earlier'> {
    return this.guard(`publish ${signed.name}@${signed.version}`, () => this.db.transaction(async (tx) => {
      const [done] = await tx.query('SELECT 1 FROM marketplace.versions WHERE publish_id = $1', [publishId]);
      if (done) return 'earlier';
      // Waiting on a lock another author holds ends as a transient failure, and the outbox retries.
      await tx.query(`SET LOCAL lock_timeout = '10s'`);
      const me = await registerAuthor(tx, signed, this.prove);
      await claimPlugin(tx, signed, me);
      // The database refuses a version that is not greater (versions_only_go_up, WF001 naming the newest).
      await tx.query(`INSERT INTO marketplace.versions (plugin, version, code, manifest, sha256, signature, fingerprint, publish_id, files)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [signed.name, signed.version, signed.code, JSON.stringify(signed.manifest),
        signed.sha256, signed.signature, signed.fingerprint, publishId, JSON.stringify(signed.files)]);
      // A new version of an unpublished plugin lists it again (its older versions stay yanked).
      await tx.query(`UPDATE marketplace.plugins SET description = $2, tags = $3, latest_version = $4, updated_at = now(),
        unpublished_at = NULL WHERE name = $1`, [signed.name, signed.manifest.description, signed.manifest.tags, signed.version]);
      return 'written';
    }));
  }

  async isDelivered(publishId: string): Promise<boolean> {
    return this.guard('check a delivery', async () =>
      (await this.db.query('SELECT 1 FROM marketplace.versions WHERE publish_id = $1', [publishId])).length > 0);
  }

  async search(query: SearchQuery): Promise<SearchPage> {
    return this.guard('search the marketplace', async () => ({ ...(await searchPlugins(this.db, MARKETPLACE_SOURCE, query)), offline: null }));
  }

  /** Listed plugins after `afterName` in name order (the primary key): the catalog a page at a time. */
  async catalogPage(afterName: string, limit: number): Promise<PluginSummary[]> {
    return this.guard('read the catalog', async () => (await this.db.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS}, ${MARKETPLACE_EXTRA_COLUMNS} FROM ${MARKETPLACE_SOURCE.from}
       WHERE ${LISTED} AND p.name > $1 ORDER BY p.name LIMIT $2`, [afterName, limit])).map(toSummary));
  }

  async details(name: string): Promise<PluginDetails> {
    return this.guard(`read ${name}`, async () => {
      const [row] = await this.db.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS}, ${MARKETPLACE_EXTRA_COLUMNS} FROM ${MARKETPLACE_SOURCE.from} WHERE p.name = $1`, [name]);
      if (!row) throw notFound(name);
      return { ...toSummary(row), versions: await this.versions(name) };
    });
  }

  /** All versions, newest first. */
  async versions(name: string): Promise<VersionInfo[]> {
    const rows = await this.guard(`list versions of ${name}`, () => this.db.query<{
      version: string; sha256: string; fingerprint: string; yanked: boolean; yank_reason: string | null; created_at: Date;
    }>('SELECT version, sha256, fingerprint, yanked, yank_reason, created_at FROM marketplace.versions WHERE plugin = $1', [name]));
    return rows.map((row) => ({
      version: row.version, sha256: row.sha256, fingerprint: row.fingerprint, yanked: row.yanked,
      yankReason: row.yank_reason, createdAt: isoDate(row.created_at),
    })).sort((a, b) => semver.rcompare(a.version, b.version));
  }

  /** The newest version that is not yanked, or null. */
  async latestGood(name: string): Promise<string | null> {
    return (await this.versions(name)).find((version) => !version.yanked)?.version ?? null;
  }

  /** A version with its code, the signer's registered key, and yank state; the newest good one when no version is given. */
  async fetch(name: string, version?: string): Promise<FetchedVersion> {
    const wanted = version ?? (await this.latestGood(name));
    if (!wanted) throw notFound(name, 'has no installable version', 'version');
    return this.guard(`download ${name}@${wanted}`, async () => {
      const [row] = await this.db.query<FetchedRow>(FETCH_SQL, [name, wanted]);
      if (!row) throw notFound(`${name}@${wanted}`, undefined, 'version');
      return {
        name: row.plugin, version: row.version, code: row.code, files: storedFiles(row.files), manifest: parseManifest(row.manifest, `${name}@${wanted} manifest`),
        sha256: row.sha256, signature: row.signature, fingerprint: row.fingerprint, publicKey: row.signer_key ?? '',
        owner: row.owner, ownerPublicKey: row.owner_key ?? '', yanked: row.yanked, yankReason: row.yank_reason,
      };
    });
  }

  async recordDownload(name: string): Promise<void> {
    await this.guard('count a download', () => this.db.query('SELECT marketplace.record_download($1)', [name]));
  }

  /** Yanks (revokes) one version. Only its owner can: for anyone else the database updates no row. */
  async yank(name: string, version: string, reason: string): Promise<void> {
    await this.guard(`yank ${name}@${version}`, () => this.db.transaction(async (tx) => {
      const rows = await tx.query(`UPDATE marketplace.versions SET yanked = true, yank_reason = $3, yanked_at = now()
        WHERE plugin = $1 AND version = $2 RETURNING version`, [name, version, reason.slice(0, 500)]);
      if (rows.length === 0) await explainNoRow(tx, name, version);
      const good = await tx.query<{ version: string }>('SELECT version FROM marketplace.versions WHERE plugin = $1 AND NOT yanked', [name]);
      const latest = semver.rsort(good.map((row) => row.version))[0] ?? null;
      await tx.query('UPDATE marketplace.plugins SET latest_version = $2, updated_at = now() WHERE name = $1', [name, latest]);
    }));
  }

  /**
   * Hides a plugin from search and yanks every version (a database trigger does, so raw SQL gets
   * the same); the row stays, so the name remains its owner's. Only the owner can; repeating is a no-op.
   */
  async unpublish(name: string): Promise<void> {
    await this.guard(`unpublish ${name}`, () => this.db.transaction(async (tx) => {
      const rows = await tx.query(`UPDATE marketplace.plugins SET unpublished_at = coalesce(unpublished_at, now())
        WHERE name = $1 RETURNING name`, [name]);
      if (rows.length === 0) await explainNoRow(tx, name);
    }));
  }

  /** guarded, naming this database when it is unreachable. */
  private guard<T>(action: string, work: () => Promise<T>): Promise<T> {
    return guarded(action, work, this.target);
  }
}

interface FetchedRow {
  plugin: string; version: string; code: string; files: unknown; manifest: unknown; sha256: string; signature: string; fingerprint: string;
  yanked: boolean; yank_reason: string | null; owner: string; owner_key: string | null; signer_key: string | null;
}

// The signer key is the one registered for the version's fingerprint *by the role that signed it*;
// a key is only taken from a row that may be trusted with it (search-sql.ts trustedAuthor).
const FETCH_SQL = `SELECT v.plugin, v.version, v.code, v.files, v.manifest, v.sha256, v.signature, v.fingerprint, v.yanked, v.yank_reason,
    p.owner, owner_author.public_key AS owner_key, signer_author.public_key AS signer_key
  FROM marketplace.versions v
  JOIN marketplace.plugins p ON p.name = v.plugin
  LEFT JOIN marketplace.authors owner_author ON owner_author.role_name = p.owner AND ${trustedAuthor('owner_author')}
  LEFT JOIN marketplace.authors signer_author ON signer_author.fingerprint = v.fingerprint AND signer_author.role_name = v.signer
    AND ${trustedAuthor('signer_author')}
  WHERE v.plugin = $1 AND v.version = $2`;

export type ProveKey = (role: string, nonce: string, publicKey: string) => Promise<string>;

/**
 * Binds this login role to the author's key on first publish, proving possession of it to the
 * database (which verifies the proof itself); refuses a role bound to another key.
 */
async function registerAuthor(tx: SqlQueryable, signed: SignedVersion, prove: ProveKey | undefined): Promise<string> {
  const [row] = await tx.query<{ me: string; fingerprint: string | null; proven: boolean | null }>(
    `SELECT session_user::text AS me, a.fingerprint, a.proven FROM (SELECT 1) AS one
      LEFT JOIN marketplace.authors a ON a.role_name = session_user`);
  const me = row?.me ?? '';
  if (row?.fingerprint && row.fingerprint !== signed.fingerprint) {
    throw new WasmForgeError('NOT_OWNER', `Account "${me}" publishes with key ${row.fingerprint}, but this machine has ${signed.fingerprint}`, {
      hint: 'Copy keys/author-ed25519.pem from the machine you first published from into this data folder.',
    });
  }
  if (row?.proven) return me;
  if (!prove) throw new WasmForgeError('NOT_OWNER', `The key ${signed.fingerprint} is not registered to "${me}", and no author key is at hand to prove it`);
  const [challenge] = await tx.query<{ nonce: string }>('SELECT marketplace.author_nonce() AS nonce');
  const proof = await prove(me, challenge?.nonce ?? '', signed.publicKey);
  await tx.query('SELECT marketplace.register_author($1, $2)', [signed.publicKey, proof]);
  return me;
}

/** Creates the plugin row on first publish, then locks it so concurrent publishes of one plugin serialize. */
async function claimPlugin(tx: SqlQueryable, signed: SignedVersion, me: string): Promise<void> {
  // Only a new name is inserted at all: the daily quota on names (a BEFORE INSERT trigger) counts every attempt.
  await tx.query(`INSERT INTO marketplace.plugins (name, description, tags) SELECT $1, $2, $3
    WHERE NOT EXISTS (SELECT 1 FROM marketplace.plugins WHERE name = $1) ON CONFLICT (name) DO NOTHING`,
  [signed.name, signed.manifest.description, signed.manifest.tags]);
  const [plugin] = await tx.query<{ owner: string }>('SELECT owner FROM marketplace.plugins WHERE name = $1', [signed.name]);
  if (plugin && plugin.owner !== me) {
    throw new WasmForgeError('NOT_OWNER', `The name "${signed.name}" belongs to ${plugin.owner}`, { hint: 'Choose another plugin name.' });
  }
  await tx.query('SELECT 1 FROM marketplace.plugins WHERE name = $1 FOR UPDATE', [signed.name]);
}

async function explainNoRow(tx: SqlQueryable, name: string, version?: string): Promise<never> {
  const rows = version
    ? await tx.query('SELECT 1 FROM marketplace.versions WHERE plugin = $1 AND version = $2', [name, version])
    : await tx.query('SELECT 1 FROM marketplace.plugins WHERE name = $1', [name]);
  if (rows.length === 0) throw version ? notFound(`${name}@${version}`, undefined, 'version') : notFound(name);
  throw new WasmForgeError('NOT_OWNER', `Only the owner of ${name} can change it`);
}

/** `missing`: the plugin itself, or a version of a plugin the marketplace has (a client tells a new name by it). */
function notFound(what: string, why = 'is not in the marketplace', missing: 'plugin' | 'version' = 'plugin'): WasmForgeError {
  return new WasmForgeError('NOT_FOUND', `${what} ${why}`, { hint: 'Search with `wasmforge search`.', details: { missing } });
}
