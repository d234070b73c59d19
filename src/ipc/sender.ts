/**
 * Only the app's own top-level page may call the API: not an iframe, not a page the window was
 * somehow navigated to. `allowed` holds origins (app://wasmforge, http://localhost:5173) or, for
 * file: pages, exact file URLs.
 */
export function isTrustedSender(sender: { url: string; isMainFrame: boolean }, allowed: readonly string[]): boolean {
  if (!sender.isMainFrame) return false;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return false;
  }
  // URL.origin is "null" for custom schemes such as app:, so the origin is spelled out here.
  const origin = url.protocol === 'file:' ? `file://${url.host}${url.pathname}` : `${url.protocol}//${url.host}`;
  return url.username === '' && url.password === '' && allowed.includes(origin);
}
