import { describe, expect, it } from 'vitest';
import { settingsSchema, type Settings } from '../library/settings.ts';
import { SECRET_MASK } from '../shared/api/schemas/settings.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { redactSettings, restoreDatabaseUrl, restoreSecrets } from './settings-secrets.ts';

const stored: Settings = settingsSchema.parse({
  ollama: { host: 'https://proxy:pa55@gpu.example:8443', headers: { Authorization: 'Bearer sk-123', 'X-Team': 'blue', Empty: '' } },
  marketplace: { databaseUrl: 'postgres://alice:s3cr%40t@db.example:5432/market?sslmode=require&sslpassword=keypass' },
  server: { token: 'server-token-0123456789' },
});

function refusal(work: () => unknown): WasmForgeError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(WasmForgeError);
    return error as WasmForgeError;
  }
  throw new Error('expected a refusal');
}

describe('settings secrets', () => {
  const shown = redactSettings(stored);

  it('shows every secret as the mask, and everything else as it is', () => {
    expect(shown.ollama.host).toBe(`https://proxy:${SECRET_MASK}@gpu.example:8443/`);
    expect(shown.ollama.headers).toEqual({ Authorization: SECRET_MASK, 'X-Team': SECRET_MASK, Empty: '' });
    expect(shown.marketplace.databaseUrl).toBe(`postgres://alice:${SECRET_MASK}@db.example:5432/market?sslmode=require&sslpassword=${SECRET_MASK}`);
    expect(shown.server.token).toBe(SECRET_MASK);
    expect(JSON.stringify(shown)).not.toMatch(/pa55|sk-123|blue|s3cr|keypass|server-token/);
    expect(shown.ollama.allowList).toEqual(stored.ollama.allowList);
    expect(redactSettings(settingsSchema.parse({ ollama: { host: 'gpu-box:8080' }, marketplace: { databaseUrl: 'postgres://bob@db/market' } })))
      .toMatchObject({ ollama: { host: 'gpu-box:8080' }, marketplace: { databaseUrl: 'postgres://bob@db/market' }, server: {} });
  });

  it('puts the stored secrets back when the form comes back unchanged', () => {
    const patch = { ollama: { host: shown.ollama.host, headers: shown.ollama.headers }, marketplace: shown.marketplace, server: shown.server };
    const restored = restoreSecrets(patch, stored);
    expect(restored.ollama?.headers).toEqual(stored.ollama.headers);
    expect(restored.ollama?.host).toBe('https://proxy:pa55@gpu.example:8443/');
    expect(restored.marketplace?.databaseUrl).toBe(stored.marketplace.databaseUrl);
    expect(restored.server?.token).toBe(stored.server.token);
  });

  it('keeps new values as typed, and a masked password for the same server in a changed URL', () => {
    const restored = restoreSecrets({ ollama: { headers: { Authorization: 'Bearer new', 'X-Team': SECRET_MASK } } }, stored);
    expect(restored.ollama?.headers).toEqual({ Authorization: 'Bearer new', 'X-Team': 'blue' });
    expect(restoreDatabaseUrl(`postgres://alice:${SECRET_MASK}@db.example:5432/other?sslmode=require&sslpassword=${SECRET_MASK}`, stored))
      .toBe('postgres://alice:s3cr%40t@db.example:5432/other?sslmode=require&sslpassword=keypass');
    expect(restoreDatabaseUrl('postgres://carol:typed@elsewhere/market', stored)).toBe('postgres://carol:typed@elsewhere/market');
  });

  it('never sends a stored password to another server, and refuses a mask that stands for nothing', () => {
    expect(refusal(() => restoreDatabaseUrl(`postgres://alice:${SECRET_MASK}@evil.example:5432/market`, stored)).code).toBe('BAD_INPUT');
    expect(refusal(() => restoreDatabaseUrl(`postgres://mallory:${SECRET_MASK}@db.example:5432/market`, stored)).code).toBe('BAD_INPUT');
    expect(refusal(() => restoreSecrets({ ollama: { headers: { 'X-New': SECRET_MASK } } }, stored)).message).toContain('X-New');
    const empty = settingsSchema.parse({});
    expect(refusal(() => restoreSecrets({ server: { token: SECRET_MASK } }, empty)).code).toBe('BAD_INPUT');
    expect(refusal(() => restoreDatabaseUrl(`postgres://alice:${SECRET_MASK}@db.example:5432/market`, empty)).code).toBe('BAD_INPUT');
  });

  describe('never sends a stored secret where the caller points it', () => {
    const url = (query: string) => `postgres://alice:${SECRET_MASK}@db.example:5432/market?sslmode=require&sslpassword=${SECRET_MASK}${query}`;

    it.each([
      ['another host, as pg reads it from the query', '&host=evil.example'],
      ['a unix socket instead', '&host=%2Ftmp'],
      ['another port', '&port=6543'],
      ['another login', '&user=mallory'],
      ['another address', '&hostaddr=203.0.113.9'],
      ['server options', '&options=-c%20search_path%3Devil'],
      ['a certificate authority of its own', '&sslrootcert=/dev/zero'],
      ['libpq semantics (weaker TLS checks)', '&uselibpqcompat=true'],
    ])('refuses the masked database password with %s', (_, query) => {
      expect(refusal(() => restoreDatabaseUrl(url(query), stored)).message).toContain('kept only for the server it was saved for');
    });

    it('refuses it over a weaker or no TLS', () => {
      expect(refusal(() => restoreDatabaseUrl(url('').replace('sslmode=require', 'sslmode=disable'), stored)).code).toBe('BAD_INPUT');
      expect(refusal(() => restoreDatabaseUrl(url('').replace('sslmode=require', 'sslmode=no-verify'), stored)).code).toBe('BAD_INPUT');
      expect(refusal(() => restoreDatabaseUrl(`postgres://alice:${SECRET_MASK}@db.example:5432/market`, stored)).code).toBe('BAD_INPUT');
    });

    it('restores it when the query names the same server the URL does', () => {
      expect(restoreDatabaseUrl(url('&host=db.example&port=5432'), stored)).toContain('s3cr%40t@db.example:5432/market');
    });

    it('keeps the Ollama header values for the origin they were saved for only', () => {
      const masked = { Authorization: SECRET_MASK };
      expect(restoreSecrets({ ollama: { host: 'https://gpu.example:8443', headers: masked } }, stored).ollama?.headers).toEqual({ Authorization: 'Bearer sk-123' });
      for (const host of ['http://evil.example', 'http://gpu.example:8443', 'https://gpu.example:9443', 'https://gpu.example.evil.example:8443', '']) {
        expect(refusal(() => restoreSecrets({ ollama: { host, headers: masked } }, stored)).message).toContain('Authorization header');
      }
      // Over IPC a cleared host arrives as a key without a value: the default host is another server too.
      expect(refusal(() => restoreSecrets({ ollama: { host: undefined, headers: masked } }, stored)).code).toBe('BAD_INPUT');
    });

    it('refuses a new host alone while stored header values would follow it, and takes new values typed with it', () => {
      expect(refusal(() => restoreSecrets({ ollama: { host: 'http://evil.example' } }, stored)).message).toContain('https://gpu.example:8443');
      const typed = { Authorization: 'Bearer for-the-new-box' };
      expect(restoreSecrets({ ollama: { host: 'http://evil.example', headers: typed } }, stored).ollama).toEqual({ host: 'http://evil.example', headers: typed });
      expect(restoreSecrets({ ollama: { host: 'http://new.example', headers: {} } }, stored).ollama?.headers).toEqual({});
      const noValues = settingsSchema.parse({ ollama: { headers: { Empty: '' } } });
      expect(restoreSecrets({ ollama: { host: 'http://new.example' } }, noValues).ollama?.host).toBe('http://new.example');
    });

    it('keeps the Ollama host password for the same origin and user only', () => {
      expect(restoreSecrets({ ollama: { host: `https://proxy:${SECRET_MASK}@gpu.example:8443/` } }, stored).ollama?.host).toBe('https://proxy:pa55@gpu.example:8443/');
      for (const host of [`https://proxy:${SECRET_MASK}@evil.example:8443`, `http://proxy:${SECRET_MASK}@gpu.example:8443`, `https://other:${SECRET_MASK}@gpu.example:8443`]) {
        expect(refusal(() => restoreSecrets({ ollama: { host } }, stored)).code).toBe('BAD_INPUT');
      }
    });
  });
});
