import { createPrivateKey, randomBytes, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { link, readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../library/atomic-write.ts';
import { dataPath } from '../library/home.ts';
import { fingerprintOf, statementBytes, type SignedStatement } from '../library/signed-version.ts';
import { WasmForgeError } from '../shared/errors.ts';

/**
 * Author keys (Ed25519, node:crypto) and the signed statement of a plugin version. The key is
 * created on first use in the data folder (mode 0600) and never leaves it; the public half is a
 * base64url 32-byte string, and the fingerprint is `SHA256:` + base64 of its hash (like OpenSSH).
 */
export interface AuthorKey {
  publicKey: string;
  fingerprint: string;
  privateKey: KeyObject;
}

// The statement, its bytes and how a signature is verified are the library's (an installed copy verifies itself).
export { canonicalJson, contentSha256, fingerprintOf, sha256Hex, verifyStatement, type SignedStatement } from '../library/signed-version.ts';

export function keyFile(home: string): string {
  return dataPath(home, 'keys', 'author-ed25519.pem');
}

/** Loads the author's key, creating it the first time. Two processes racing end up with the same key. */
export async function loadOrCreateAuthorKey(home: string): Promise<AuthorKey> {
  const path = keyFile(home);
  const existing = await readKeyFile(path);
  if (existing) return authorKeyFrom(existing, path);
  const { privateKey } = generateKeyPairSync('ed25519');
  const staging = `${path}.new-${process.pid}-${randomBytes(6).toString('hex')}`;
  await writeFileAtomic(staging, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  // link() fails if the key already exists: whoever linked first wins, nobody overwrites a key.
  await link(staging, path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw new WasmForgeError('STORAGE_ERROR', `Could not save the author key: ${error.message}`);
  });
  await rm(staging, { force: true });
  return authorKeyFrom((await readKeyFile(path)) ?? '', path);
}

/** Copies the private key out (for another machine of the same author); the file is created 0600. */
export async function exportAuthorKey(home: string, path: string): Promise<AuthorKey> {
  const key = await loadOrCreateAuthorKey(home);
  await writeFileAtomic(path, key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return key;
}

/**
 * Installs a key exported elsewhere. A different existing key is only replaced when asked, and
 * is then kept beside it as a backup: losing it would orphan every plugin it published.
 */
export async function importAuthorKey(home: string, path: string, options: { replace?: boolean } = {}): Promise<AuthorKey> {
  const text = await readKeyFile(path);
  if (!text) throw new WasmForgeError('NOT_FOUND', `${path} not found`);
  const incoming = authorKeyFrom(text, path);
  const current = await readAuthorKey(home);
  if (current?.fingerprint === incoming.fingerprint) return current;
  if (current && !options.replace) {
    throw new WasmForgeError('ALREADY_EXISTS', `This data folder already has the author key ${current.fingerprint}`, {
      hint: 'Replace it only if you mean to publish as the other identity; the current key is then kept as a backup.',
    });
  }
  if (current) await writeFileAtomic(`${keyFile(home)}.${Date.now()}.bak`, current.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  await writeFileAtomic(keyFile(home), incoming.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  return incoming;
}

export async function readAuthorKey(home: string): Promise<AuthorKey | null> {
  const text = await readKeyFile(keyFile(home));
  return text ? authorKeyFrom(text, keyFile(home)) : null;
}

async function readKeyFile(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new WasmForgeError('STORAGE_ERROR', `Could not read the author key: ${(error as Error).message}`);
  }
}

function authorKeyFrom(pem: string, path: string): AuthorKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new WasmForgeError('STORAGE_ERROR', `The author key ${path} is unreadable`, {
      hint: 'Restore it from a backup; deleting it creates a new identity that cannot publish your existing plugins.',
    });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new WasmForgeError('STORAGE_ERROR', `${path} is not an Ed25519 key`);
  const publicKey = createPublicKey(privateKey).export({ format: 'jwk' }).x ?? '';
  return { publicKey, fingerprint: fingerprintOf(publicKey), privateKey };
}

/**
 * Proof of possession of an author key for one database role: a signature over the role name and
 * a nonce the database handed out (marketplace.author_nonce). The database verifies it itself
 * (marketplace.register_author, PROOF_CONTEXT there must match).
 */
export function proofMessage(role: string, nonce: string): Buffer {
  return Buffer.from(`wasmforge-author-proof-v1\n${role}\n${nonce}`, 'utf8');
}

export function signProof(key: AuthorKey, role: string, nonce: string): string {
  return sign(null, proofMessage(role, nonce), key.privateKey).toString('base64');
}

export function signStatement(key: AuthorKey, statement: SignedStatement): string {
  return sign(null, statementBytes(statement), key.privateKey).toString('base64');
}
