import type { Settings } from '../library/settings.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { SECRET_MASK, type SettingsPatch, type SettingsView } from '../shared/api/schemas/settings.ts';

/**
 * Secrets never leave through the API: a password in a URL (the marketplace database, an Ollama
 * host with credentials), the Ollama header values (a proxy's bearer token) and the server token
 * are shown as SECRET_MASK. The Settings screen sends the form back as it got it, so a mask in an
 * update means "keep the stored secret".
 */
export function redactSettings(settings: Settings): SettingsView {
  return {
    ...settings,
    ollama: {
      ...settings.ollama,
      ...(settings.ollama.host !== undefined ? { host: maskUrl(settings.ollama.host) } : {}),
      headers: Object.fromEntries(Object.entries(settings.ollama.headers).map(([name, value]) => [name, value ? SECRET_MASK : value])),
    },
    marketplace: settings.marketplace.databaseUrl !== undefined ? { databaseUrl: maskUrl(settings.marketplace.databaseUrl) } : {},
    server: settings.server.token !== undefined ? { token: SECRET_MASK } : {},
  };
}

/** The patch with every mask replaced by the secret it stands for. */
export function restoreSecrets(patch: SettingsPatch, stored: Settings): SettingsPatch {
  const restored: SettingsPatch = { ...patch };
  if (patch.ollama) {
    const { host, headers } = patch.ollama;
    restored.ollama = {
      ...patch.ollama,
      ...(host !== undefined ? { host: restoreUrl(host, stored.ollama.host, 'Ollama host') } : {}),
      ...(headers !== undefined ? { headers: restoreHeaders(headers, stored.ollama.headers) } : {}),
    };
  }
  if (patch.marketplace?.databaseUrl !== undefined) {
    restored.marketplace = { databaseUrl: restoreDatabaseUrl(patch.marketplace.databaseUrl, stored) };
  }
  if (patch.server?.token === SECRET_MASK) {
    if (!stored.server.token) throw retype('the server token');
    restored.server = { token: stored.server.token };
  }
  return restored;
}

/** A database URL as the Settings screen sends it (to save or to test): its masked password is the stored one. */
export function restoreDatabaseUrl(given: string, stored: Settings): string {
  return restoreUrl(given, stored.marketplace.databaseUrl, 'marketplace database') ?? given;
}

function restoreHeaders(given: Record<string, string>, stored: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(given).map(([name, value]) => {
    if (value !== SECRET_MASK) return [name, value];
    const kept = stored[name];
    if (kept === undefined) throw retype(`the value of the ${name} header`);
    return [name, kept];
  }));
}

/** Query parameters libpq and node-postgres read as passwords. */
const SECRET_PARAMS = ['password', 'sslpassword'];

function maskUrl(value: string): string {
  const parsed = parseUrl(value);
  if (!parsed) return value.includes('@') ? SECRET_MASK : value;
  const { url } = parsed;
  let masked = false;
  if (url.password) {
    url.password = SECRET_MASK;
    masked = true;
  }
  for (const name of SECRET_PARAMS) {
    if (url.searchParams.has(name)) {
      url.searchParams.set(name, SECRET_MASK);
      masked = true;
    }
  }
  return masked ? parsed.format(url) : value;
}

/**
 * A stored password is put back only for the server it was saved for (same scheme, user, host
 * and port): a URL pointing somewhere new needs its password typed, so it is never sent elsewhere.
 */
function restoreUrl(given: string, stored: string | undefined, what: string): string | undefined {
  if (!given.includes(SECRET_MASK)) return given;
  if (given === SECRET_MASK && stored !== undefined && maskUrl(stored) === SECRET_MASK) return stored;
  const next = parseUrl(given);
  const before = stored === undefined ? undefined : parseUrl(stored);
  if (!next || !before || !sameServer(next.url, before.url)) throw retype(`the ${what} password`, 'It is kept only for the server it was saved for.');
  if (next.url.password === SECRET_MASK) next.url.password = before.url.password;
  for (const name of SECRET_PARAMS) {
    if (next.url.searchParams.get(name) === SECRET_MASK) next.url.searchParams.set(name, before.url.searchParams.get(name) ?? '');
  }
  const restored = next.format(next.url);
  if (restored.includes(SECRET_MASK)) throw retype(`the ${what} password`);
  return restored;
}

/** URLs with or without a scheme (an Ollama host may be `user:pass@gpu-box:11434`), formatted back the way they came. */
function parseUrl(value: string): { url: URL; format: (url: URL) => string } | undefined {
  const schemeless = !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  try {
    const url = new URL(schemeless ? `http://${value}` : value);
    return { url, format: (changed) => (schemeless ? changed.toString().replace(/^http:\/\//, '') : changed.toString()) };
  } catch {
    return undefined;
  }
}

function sameServer(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.username === b.username && a.hostname === b.hostname && a.port === b.port;
}

function retype(what: string, why = 'No stored value matches it.'): WasmForgeError {
  return new WasmForgeError('BAD_INPUT', `Type ${what} again: "${SECRET_MASK}" stands for a stored secret. ${why}`);
}
