import { createHash, createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';
import { pluginCodeSchema } from '../shared/api/schemas/plugins.ts';
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
  manifest: manifestSchema,
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
