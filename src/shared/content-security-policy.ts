/**
 * The one Content-Security-Policy of the UI, wherever it is served: the Electron shell sends it as
 * a header (app:// and the dev server), `wasmforge serve` sends it as a header, and the build puts
 * it in index.html's <meta> tag (electron.vite.config.ts). No electron import: the server uses it.
 */
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['font-src', "'self' data:"],
  ['worker-src', "'self' blob:"],
  ['connect-src', "'self'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

/** Browsers ignore these in a <meta> tag (and warn about it): headers only. */
const HEADER_ONLY = new Set(['frame-ancestors']);

function policy(directives: ReadonlyArray<readonly [string, string]>): string {
  return directives.map(([name, value]) => `${name} ${value}`).join('; ');
}

export const CONTENT_SECURITY_POLICY = policy(DIRECTIVES);

/** For index.html's <meta http-equiv> tag. */
export const CONTENT_SECURITY_POLICY_META = policy(DIRECTIVES.filter(([name]) => !HEADER_ONLY.has(name)));

/** The policy for pages from Vite's dev server, whose hot reload needs its websocket. */
export function devServerPolicy(devServerOrigin: string): string {
  const websocket = devServerOrigin.replace(/^http/, 'ws');
  return policy(DIRECTIVES.map(([name, value]) => [name, name === 'connect-src' ? `${value} ${websocket}` : value] as const));
}
