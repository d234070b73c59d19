import { parse as parseDatabaseUrl } from 'pg-connection-string';
import { displayHost, resolveOllamaConnection } from '../ai/ollama-connection.ts';
import type { Settings } from '../library/settings.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { SECRET_MASK, type SettingsPatch, type SettingsView } from '../shared/api/schemas/settings.ts';
import { maskUrl, parseUrl, SECRET_PARAMS } from '../shared/url-secrets.ts';

/**
 * Secrets never leave through the API: a password in a URL (the marketplace database, an Ollama
 * host with credentials), the Ollama header values (a proxy's bearer token) and the server token
 * are shown as SECRET_MASK. The Settings screen sends the form back as it got it, so a mask in an
 * update means "keep the stored secret" — but only for the server the secret was saved for:
 * whoever can call the API must not be able to send a stored secret anywhere else.
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
  if (patch.ollama) restored.ollama = restoreOllama(patch.ollama, stored.ollama);
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
  return restoreUrl(given, stored.marketplace.databaseUrl, 'marketplace database', sameDatabaseServer) ?? given;
}

type OllamaPatch = NonNullable<SettingsPatch['ollama']>;

/**
 * The stored header values go only to the Ollama they were saved for: a patch that moves the host
 * to another origin must give them again (masked ones are refused), and a patch of the host alone
 * is refused while stored values would follow it there.
 */
function restoreOllama(patch: OllamaPatch, stored: Settings['ollama']): OllamaPatch {
  const restored: OllamaPatch = { ...patch };
  if (patch.host !== undefined) restored.host = restoreUrl(patch.host, stored.host, 'Ollama host', sameOllamaServer);
  // A host key without a value (over IPC) clears the host, as the merge of the settings does.
  const moved = 'host' in patch && ollamaEndpoint(restored.host).origin !== ollamaEndpoint(stored.host).origin;
  if (patch.headers !== undefined) {
    restored.headers = restoreHeaders(patch.headers, stored.headers, moved);
  } else if (moved && Object.values(stored.headers).some(Boolean)) {
    throw new WasmForgeError('BAD_INPUT', `The Ollama headers were saved for ${ollamaEndpoint(stored.host).origin}; give their values again with the new host (or no headers): they are never sent to another server.`);
  }
  return restored;
}

function restoreHeaders(given: Record<string, string>, stored: Record<string, string>, hostMoved: boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(given).map(([name, value]) => {
    if (value !== SECRET_MASK) return [name, value];
    const kept = stored[name];
    if (kept === undefined) throw retype(`the value of the ${name} header`);
    if (hostMoved) throw retype(`the value of the ${name} header`, 'It is kept only for the Ollama host it was saved for.');
    return [name, kept];
  }));
}

/**
 * A stored password is put back only when the URL, once restored, reaches the server it was saved
 * for (as `sameServer` judges it): a URL pointing somewhere new needs its password typed.
 */
function restoreUrl(given: string, stored: string | undefined, what: string, sameServer: (a: string, b: string) => boolean): string | undefined {
  if (!given.includes(SECRET_MASK)) return given;
  if (given === SECRET_MASK && stored !== undefined && maskUrl(stored) === SECRET_MASK) return stored;
  const next = parseUrl(given);
  const before = stored === undefined ? undefined : parseUrl(stored);
  if (!next || !before) throw retype(`the ${what} password`);
  if (next.url.password === SECRET_MASK) next.url.password = before.url.password;
  for (const name of SECRET_PARAMS) {
    if (next.url.searchParams.get(name) === SECRET_MASK) next.url.searchParams.set(name, before.url.searchParams.get(name) ?? '');
  }
  const restored = next.format(next.url);
  if (!sameServer(restored, stored!)) throw retype(`the ${what} password`, 'It is kept only for the server it was saved for.');
  if (restored.includes(SECRET_MASK)) throw retype(`the ${what} password`);
  return restored;
}

/** Where the app's Ollama requests go for this host setting (resolved as the provider does), and as whom. */
function ollamaEndpoint(host: string | undefined): { origin: string; user: string } {
  const resolved = resolveOllamaConnection({ ollama: { host, headers: {}, allowList: [] } }).host;
  const url = URL.parse(resolved);
  return url ? { origin: `${url.protocol}//${url.host}`, user: url.username } : { origin: displayHost(resolved), user: '' };
}

function sameOllamaServer(a: string, b: string): boolean {
  const [first, second] = [ollamaEndpoint(a), ollamaEndpoint(b)];
  return first.origin === second.origin && first.user === second.user;
}

/** The certificate and key files pg reads while it parses a URL. */
const SSL_FILE_PARAMS = ['sslcert', 'sslkey', 'sslrootcert'];
/** What may differ between two URLs for the same server and login: the database, and the secrets themselves. */
const NOT_THE_SERVER = new Set(['database', ...SECRET_PARAMS]);

/**
 * The same server and login as pg itself reads them (query parameters such as `host`, `port`,
 * `user`, `options` or `sslmode` override the URL's own parts): everything pg-connection-string
 * finds in the URL but the database name and the secrets must be identical.
 */
function sameDatabaseServer(a: string, b: string): boolean {
  try {
    // Parsing reads the files named here: only the ones already in the stored URL get read.
    if (SSL_FILE_PARAMS.some((name) => queryValues(a, name) !== queryValues(b, name))) return false;
    return databaseTarget(a) === databaseTarget(b);
  } catch {
    return false;
  }
}

function databaseTarget(value: string): string {
  const config = Object.entries(parseDatabaseUrl(value)).filter(([name]) => !NOT_THE_SERVER.has(name));
  return JSON.stringify(config.sort(([x], [y]) => x.localeCompare(y)));
}

function queryValues(value: string, name: string): string {
  return JSON.stringify(new URL(value, 'postgres://base').searchParams.getAll(name));
}

function retype(what: string, why = 'No stored value matches it.'): WasmForgeError {
  return new WasmForgeError('BAD_INPUT', `Type ${what} again: "${SECRET_MASK}" stands for a stored secret. ${why}`);
}
