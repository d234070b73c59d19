/**
 * The one Content-Security-Policy of the UI, wherever it is served: the Electron shell sends it as
 * a header (app:// and the dev server), `wasmforge serve` sends it as a header, and the build (not
 * the dev server) puts it in index.html's <meta> tag (electron.vite.config.ts). No electron import: the server uses it.
 */
const DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  // 'wasm-unsafe-eval': compiling WebAssembly (Ruff's linter and formatter, in the Builder's worker).
  // It allows no eval of JavaScript, and the module itself can only come from 'self' (connect-src).
  ['script-src', "'self' 'wasm-unsafe-eval'"],
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

/**
 * The one inline script the dev server puts in index.html: @vitejs/plugin-react's Fast Refresh
 * preamble (it defines $RefreshSig$ before any component loads; blocked, the window stays blank).
 * Allowed by its hash, never by 'unsafe-inline'; content-security-policy.test.ts recomputes it from
 * the installed plugin, so an upgrade that changes the preamble fails there rather than in the window.
 */
export const REACT_REFRESH_PREAMBLE_HASH = "'sha256-Z2/iFzh9VMlVkEOar1f/oSHWwQk3ve1qk/C2WdsC4Xk='";

/** The policy for pages from Vite's dev server: its hot-reload websocket, and the refresh preamble. */
export function devServerPolicy(devServerOrigin: string): string {
  const websocket = devServerOrigin.replace(/^http/, 'ws');
  const extra: Record<string, string> = { 'connect-src': websocket, 'script-src': REACT_REFRESH_PREAMBLE_HASH };
  return policy(DIRECTIVES.map(([name, value]) => [name, extra[name] ? `${value} ${extra[name]}` : value] as const));
}
