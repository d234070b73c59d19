import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, devServerPolicy } from '../shared/content-security-policy.ts';

/** The one way out to the browser: plain web links only, never file:, javascript: or custom schemes. */
export function openExternalSafely(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol === 'https:' || parsed.protocol === 'http:') void shell.openExternal(parsed.toString());
}

/** Writing is granted to every page (Copy buttons); reading only to the app's own top frame (Monaco's Paste). */
const CLIPBOARD_WRITE = 'clipboard-sanitized-write';
const CLIPBOARD_READ = 'clipboard-read';

/**
 * No page may navigate the window away from the app, open windows, attach webviews, or get any
 * permission (camera, notifications, …) but the clipboard. Links the user clicks open in the browser instead.
 */
export function hardenWebContents(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    // details.url: Electron 45 deprecates the positional url argument.
    contents.on('will-navigate', (details) => {
      if (isAppUrl(details.url)) return;
      details.preventDefault();
      openExternalSafely(details.url);
    });
    contents.on('will-redirect', (details) => {
      if (!isAppUrl(details.url)) details.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      openExternalSafely(url);
      return { action: 'deny' };
    });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(permission === CLIPBOARD_WRITE || (permission === CLIPBOARD_READ && details.isMainFrame && isAppUrl(details.requestingUrl)));
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    return permission === CLIPBOARD_WRITE || (permission === CLIPBOARD_READ && details.isMainFrame && isAppUrl(requestingOrigin));
  });
}

export function enforceContentSecurityPolicy(devServerOrigin: string | undefined): void {
  const policy = devServerOrigin ? devServerPolicy(devServerOrigin) : CONTENT_SECURITY_POLICY;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
}
