import { WasmForgeError } from '../shared/errors.ts';
import type { SqlQueryable } from '../marketplace/db/executor.ts';
import { contentSha256, fingerprintOf, storedFiles, verifyStatement, type SignedVersion } from './signed-version.ts';
import { isoDate } from '../marketplace/db/dates.ts';
import { assertMayPin, readPin, writePin } from './key-pins.ts';
import { manifestSchema, type PluginManifest } from './manifest.ts';
import semver from 'semver';

/**
 * Installed plugins: a signed copy of one version in the local database. Every copy is verified
 * (sha256 of the code, Ed25519 signature, key fingerprint) when it is saved and again before
 * every run, so code changed on disk or in the database is refused with TAMPERED.
 */
export type InstallSource = 'marketplace' | 'bundle';

export interface InstalledPlugin {
  name: string;
  version: string;
  manifest: PluginManifest;
  sha256: string;
  fingerprint: string;
  owner: string;
  source: InstallSource;
  marketplace: string | null;
  revoked: boolean;
  revokedReason: string | null;
  latestKnown: string | null;
  updateAvailable: boolean;
  installedAt: string;
}

export interface InstalledCopy extends InstalledPlugin, SignedVersion {}

export interface InstallInput extends SignedVersion {
  owner: string;
  source: InstallSource;
  marketplace: string | null;
  latestKnown?: string | null;
}

/** Throws TAMPERED unless the code, manifest, key and signature all agree. */
export function verifySigned(copy: SignedVersion): void {
  const tampered = (why: string): never => {
    throw new WasmForgeError('TAMPERED', `${copy.name}@${copy.version} failed verification: ${why}`, {
      hint: 'Do not run it. Reinstall it from the marketplace or a bundle you trust.',
    });
  };
  if (contentSha256(copy.code, copy.files) !== copy.sha256) tampered('the code or a file does not match its sha256');
  if (copy.manifest.name !== copy.name || copy.manifest.version !== copy.version) tampered('the manifest names another version');
  if (fingerprintOf(copy.publicKey) !== copy.fingerprint) tampered('the key does not match its fingerprint');
  if (!verifyStatement(copy.publicKey, copy, copy.signature)) tampered('the author signature is not valid');
}

export async function saveInstalled(db: SqlQueryable, input: InstallInput, options: { trustNewKey?: boolean } = {}): Promise<InstalledPlugin> {
  verifySigned(input);
  assertMayPin(input, await readPin(db, input.name), options.trustNewKey === true);
  await db.query(`INSERT INTO library.installed (name, version, code, manifest, sha256, signature, public_key, fingerprint, owner,
      source, marketplace, latest_known, files, checked_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
    ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, code = EXCLUDED.code, files = EXCLUDED.files, manifest = EXCLUDED.manifest,
      sha256 = EXCLUDED.sha256, signature = EXCLUDED.signature, public_key = EXCLUDED.public_key,
      fingerprint = EXCLUDED.fingerprint, owner = EXCLUDED.owner, source = EXCLUDED.source, marketplace = EXCLUDED.marketplace,
      latest_known = EXCLUDED.latest_known, revoked = false, revoked_reason = NULL, checked_at = now(), installed_at = now()`,
  [input.name, input.version, input.code, JSON.stringify(input.manifest), input.sha256, input.signature, input.publicKey,
    input.fingerprint, input.owner, input.source, input.marketplace, input.latestKnown ?? input.version, JSON.stringify(input.files)]);
  await writePin(db, input);
  return getInstalled(db, input.name);
}

export async function listInstalled(db: SqlQueryable): Promise<InstalledPlugin[]> {
  const rows = await db.query<InstalledRow>(`${SELECT_INSTALLED} ORDER BY name`);
  return rows.map(toInstalled);
}

export async function getInstalled(db: SqlQueryable, name: string): Promise<InstalledCopy> {
  const [row] = await db.query<InstalledRow>(`${SELECT_INSTALLED} WHERE name = $1`, [name]);
  if (!row) throw new WasmForgeError('NOT_FOUND', `${name} is not installed`, { hint: `Install it with \`wasmforge install ${name}\`.` });
  return { ...toInstalled(row), code: row.code, files: storedFiles(row.files), signature: row.signature, publicKey: row.public_key };
}

export async function removeInstalled(db: SqlQueryable, name: string): Promise<void> {
  const rows = await db.query('DELETE FROM library.installed WHERE name = $1 RETURNING name', [name]);
  if (rows.length === 0) throw new WasmForgeError('NOT_FOUND', `${name} is not installed`);
}

/** Records what the marketplace said about this copy: yanked or not, and the newest good version. */
export async function recordMarketplaceStatus(db: SqlQueryable, name: string, status: { revoked: boolean; reason: string | null; latestGood: string | null }): Promise<void> {
  await db.query(`UPDATE library.installed SET revoked = $2, revoked_reason = $3, latest_known = $4, checked_at = now() WHERE name = $1`,
    [name, status.revoked, status.reason, status.latestGood]);
}

/** Verifies a copy before a run: TAMPERED if it does not verify, REVOKED if its version was yanked. */
export function assertRunnable(copy: InstalledCopy): void {
  verifySigned(copy);
  if (copy.revoked) {
    const newer = copy.latestKnown && copy.latestKnown !== copy.version ? copy.latestKnown : null;
    throw new WasmForgeError('REVOKED', `${copy.name}@${copy.version} was revoked by its author${copy.revokedReason ? `: ${copy.revokedReason}` : ''}`, {
      hint: newer ? `Install the newest good version: \`wasmforge install ${copy.name}@${newer}\`` : `Uninstall it: \`wasmforge uninstall ${copy.name}\``,
      details: { name: copy.name, version: copy.version, newestGood: newer },
    });
  }
}

const SELECT_INSTALLED = `SELECT name, version, code, files, manifest, sha256, signature, public_key, fingerprint, owner, source, marketplace,
  revoked, revoked_reason, latest_known, installed_at FROM library.installed`;

interface InstalledRow {
  name: string; version: string; code: string; files: unknown; manifest: unknown; sha256: string; signature: string; public_key: string;
  fingerprint: string; owner: string; source: InstallSource; marketplace: string | null; revoked: boolean;
  revoked_reason: string | null; latest_known: string | null; installed_at: Date;
}

function toInstalled(row: InstalledRow): InstalledPlugin {
  return {
    name: row.name, version: row.version, manifest: readManifest(row), sha256: row.sha256, fingerprint: row.fingerprint,
    owner: row.owner, source: row.source, marketplace: row.marketplace, revoked: row.revoked, revokedReason: row.revoked_reason,
    latestKnown: row.latest_known,
    updateAvailable: !!row.latest_known && semver.valid(row.latest_known) !== null && semver.gt(row.latest_known, row.version),
    installedAt: isoDate(row.installed_at),
  };
}

/**
 * A stored manifest that no longer parses must not break the whole list: a placeholder stands in,
 * and since the signature covers the real manifest, verification refuses that copy (TAMPERED).
 */
function readManifest(row: InstalledRow): PluginManifest {
  const parsed = manifestSchema.safeParse(row.manifest);
  if (parsed.success) return parsed.data;
  return { name: row.name, version: row.version, description: '(damaged manifest)', tags: [], models: [], limits: {}, inputType: 'text', inputHint: '' };
}
