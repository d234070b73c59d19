import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportAuthorKey, importAuthorKey, keyFile, loadOrCreateAuthorKey, readAuthorKey, signStatement, verifyStatement } from '../../src/marketplace/signing.ts';
import { tempHome } from './helpers.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});
async function home(label: string): Promise<string> {
  const created = await tempHome(label);
  cleanup.push(created.remove);
  return created.path;
}

describe('author keys', () => {
  it('creates one key even when asked concurrently, and signs statements only it verifies', async () => {
    const path = await home('key');
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateAuthorKey(path)));
    expect(new Set(keys.map((key) => key.fingerprint)).size).toBe(1);
    expect((await readdir(join(path, 'keys'))).filter((file) => file !== 'author-ed25519.pem')).toEqual([]);
    const statement = { name: 'p', version: '1.0.0', sha256: 'a'.repeat(64), manifest: { b: 1, a: [2, { d: 3, c: 4 }] } };
    const signature = signStatement(keys[0]!, statement);
    const reordered = { ...statement, manifest: { a: [2, { c: 4, d: 3 }], b: 1 } };
    expect(verifyStatement(keys[0]!.publicKey, reordered, signature)).toBe(true);
    expect(verifyStatement(keys[0]!.publicKey, { ...statement, version: '1.0.1' }, signature)).toBe(false);
    expect(verifyStatement(keys[0]!.publicKey, statement, 'not base64 at all')).toBe(false);
  });

  it('moves an identity to another machine, never silently replacing a different key', async () => {
    const [first, second] = [await home('first'), await home('second')];
    const original = await loadOrCreateAuthorKey(first);
    const exported = join(first, 'me.pem');
    await exportAuthorKey(first, exported);
    expect((await stat(exported)).mode & 0o777).toBe(0o600);

    const other = await loadOrCreateAuthorKey(second);
    await expect(importAuthorKey(second, exported)).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect((await readAuthorKey(second))?.fingerprint).toBe(other.fingerprint);
    expect((await importAuthorKey(second, exported, { replace: true })).fingerprint).toBe(original.fingerprint);
    expect((await readAuthorKey(second))?.fingerprint).toBe(original.fingerprint);
    const backups = (await readdir(join(second, 'keys'))).filter((file) => file.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(await readFile(join(second, 'keys', backups[0]!), 'utf8')).toContain('PRIVATE KEY');
  });

  it('reports an unreadable key file instead of replacing it', async () => {
    const path = await home('broken-key');
    await loadOrCreateAuthorKey(path);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(keyFile(path), 'garbage');
    await expect(loadOrCreateAuthorKey(path)).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    expect(await readFile(keyFile(path), 'utf8')).toBe('garbage');
  });
});
