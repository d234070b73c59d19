import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SECURITY_HEADERS } from './guard.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.ttf': 'font/ttf', '.woff': 'font/woff', '.woff2': 'font/woff2', '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  // WebAssembly compiles as it streams in only when served as such (Ruff's linter in the Builder).
  '.wasm': 'application/wasm',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.map', '.ttf', '.txt']);

interface CachedFile {
  body: Buffer;
  gzipped?: Buffer;
}

/**
 * Serves the built renderer (out/renderer): hashed assets cached for good, everything else
 * revalidated; no directory listings, no path can leave the folder; gzip when the client takes it.
 */
export class StaticFiles {
  private readonly cache = new Map<string, CachedFile>();

  constructor(private readonly root: string) {}

  async serve(pathname: string, acceptsGzip: boolean, response: ServerResponse): Promise<void> {
    const relative = pathname === '/' || !extname(pathname) ? '/index.html' : pathname;
    const file = this.resolve(relative);
    const cached = file ? await this.load(file, relative.startsWith('/assets/')) : undefined;
    if (!file || !cached) {
      const missingUi = relative === '/index.html';
      response.writeHead(missingUi ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      response.end(missingUi ? 'The WasmForge UI is not built yet: run `npm run build`, then start the server again.\n' : 'Not found\n');
      return;
    }
    const extension = extname(file);
    const useGzip = acceptsGzip && COMPRESSIBLE.has(extension);
    if (useGzip) cached.gzipped ??= gzipSync(cached.body);
    response.writeHead(200, {
      'content-type': TYPES[extension] ?? 'application/octet-stream',
      'cache-control': relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...(useGzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
      ...SECURITY_HEADERS,
    });
    response.end(useGzip ? cached.gzipped : cached.body);
  }

  private resolve(pathname: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0')) return undefined;
    const file = normalize(join(this.root, decoded));
    return file.startsWith(this.root + sep) ? file : undefined;
  }

  /** Hashed assets never change, so they are kept in memory; index.html is read again each time (a rebuild shows up). */
  private async load(file: string, immutable: boolean): Promise<CachedFile | undefined> {
    const hit = this.cache.get(file);
    if (hit) return hit;
    const body = await readFile(file).catch(() => undefined);
    if (!body) return undefined;
    const entry = { body };
    if (immutable) this.cache.set(file, entry);
    return entry;
  }
}
