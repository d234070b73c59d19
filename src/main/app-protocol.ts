import { net, protocol } from 'electron';
import { stat } from 'node:fs/promises';
import { normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../shared/content-security-policy.ts';

/**
 * The UI loads from app://wasmforge/ rather than file://: a real origin for the CSP's 'self',
 * for the sender check and for Monaco's module workers (which file:// pages may not start).
 */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://wasmforge`;

/** Whether a URL is on this origin (URL.origin is "null" for custom schemes such as app:, so it is spelled out). */
export function isOnOrigin(url: string, origin: string): boolean {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}` === origin;
  } catch {
    return false;
  }
}

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves files of the built renderer only: nothing outside its folder, GET only, always with the CSP. */
export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    } catch {
      return new Response('Bad path', { status: 400 });
    }
    const file = normalize(root + pathname);
    if (request.method !== 'GET' || url.host !== 'wasmforge' || !file.startsWith(root + sep)) return notFound();
    // Electron's net.fetch rejects (net::ERR_FILE_NOT_FOUND) rather than answering 404, and would list a folder.
    if (!(await stat(file).catch(() => undefined))?.isFile()) return notFound();
    const response = await net.fetch(pathToFileURL(file).toString()).catch(() => undefined);
    if (!response) return notFound();
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

function notFound(): Response {
  return new Response('Not found', { status: 404 });
}
