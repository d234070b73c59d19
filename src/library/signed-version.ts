import { createHash, createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';
import { pluginCodeSchema, pluginFilesSchema } from '../shared/api/schemas/plugins.ts';
import { ENTRY_FILE, type PluginFiles } from '../shared/plugin-files.ts';
import { manifestSchema, pluginNameSchema, versionSchema } from './manifest.ts';

/**
 * The signed plugin version, and how its signature is checked: what the outbox holds, what a bundle
 * carries, what the database stores and what an installed copy is verified against before every
 * run. Making keys and signing stay with the marketplace (marketplace/signing.ts); the library
 * only verifies, so it needs nothing from the marketplace.
 */
export const signedVersionSchema = z.object({
  name: pluginNameSchema,
  version: versionSchema,
  code: pluginCodeSchema,
  /** The plugin's other files ({}: a single-file plugin, and every version signed before they existed). */
  files: pluginFilesSchema.default({}),
  manifest: manifestSchema,
  /** contentSha256 of the code and the files: the signature covers every file through it. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().min(80).max(100),
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  fingerprint: z.string().min(16).max(100),
});
export type SignedVersion = z.infer<typeof signedVersionSchema>;

/** What an author signs: everything a user runs or trusts about one version. */
export interface SignedStatement {
  name: string;
  version: string;
  sha256: string;
  manifest: unknown;
}

const SIGNATURE_CONTEXT = 'wasmforge-plugin-signature-v1\n';

/** `SHA256:` + base64 of the hash of the base64url public key (like OpenSSH). */
export function fingerprintOf(publicKey: string): string {
  const digest = createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('base64').replace(/=+$/, '');
  return `SHA256:${digest}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const FILES_CONTEXT = 'wasmforge-plugin-files-v1\n';

/**
 * What a version's sha256 is over. A single-file plugin: its code, exactly as before files existed
 * (so every version signed then still verifies). With other files: a canonical encoding of every
 * file, plugin.py included, in path order, each as "<path>\n<UTF-8 byte length>\n<bytes>" (no
 * file can run into the next, and a file added, removed, renamed or changed changes the hash).
 */
export function contentSha256(code: string, files: PluginFiles = {}): string {
  const paths = Object.keys(files);
  if (paths.length === 0) return sha256Hex(code);
  const all: PluginFiles = { ...files, [ENTRY_FILE]: code };
  const hash = createHash('sha256').update(FILES_CONTEXT, 'utf8');
  for (const path of Object.keys(all).sort()) {
    const bytes = Buffer.from(all[path] ?? '', 'utf8');
    hash.update(`${path}\n${bytes.length}\n`, 'utf8').update(bytes);
  }
  return hash.digest('hex');
}

/**
 * A files column as stored (jsonb, or its text): text by path. Anything else stands as an empty
 * set or empty texts, which the sha256 then refuses (TAMPERED) rather than a read that throws.
 */
export function storedFiles(stored: unknown): PluginFiles {
  let value: unknown = stored;
  try {
    if (typeof stored === 'string') value = JSON.parse(stored);
  } catch {
    return {};
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([path, text]) => [path, typeof text === 'string' ? text : '']));
}

/** True only when `signature` is a valid signature of `statement` by `publicKey`; never throws. */
export function verifyStatement(publicKey: string, statement: SignedStatement, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    return verify(null, statementBytes(statement), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** The exact bytes an author signs for a statement. */
export function statementBytes(statement: SignedStatement): Buffer {
  const { name, version, sha256, manifest } = statement;
  return Buffer.from(SIGNATURE_CONTEXT + canonicalJson({ name, version, sha256, manifest }), 'utf8');
}

/** JSON with object keys sorted at every level, so a manifest round-tripped through jsonb signs the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
