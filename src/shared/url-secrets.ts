import { SECRET_MASK } from './api/schemas/settings.ts';

// One masking for URLs with a password, wherever one is shown: the API's answers (the stored
// settings) and the Settings screen's fields while the user types a new one.

/** Query parameters libpq and node-postgres read as passwords. */
export const SECRET_PARAMS = ['password', 'sslpassword'];

/** The URL with its password (and password parameters) as SECRET_MASK; a URL it cannot read but with an '@' is masked whole. */
export function maskUrl(value: string): string {
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

/** URLs with or without a scheme (an Ollama host may be `user:pass@gpu-box:11434`), formatted back the way they came. */
export function parseUrl(value: string): { url: URL; format: (url: URL) => string } | undefined {
  const schemeless = !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  try {
    const url = new URL(schemeless ? `http://${value}` : value);
    return { url, format: (changed) => (schemeless ? changed.toString().replace(/^http:\/\//, '') : changed.toString()) };
  } catch {
    return undefined;
  }
}
