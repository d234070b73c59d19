import { Ollama } from 'ollama';
import type { Settings } from '../shared/api/schemas/settings.ts';
import { parseOllamaHost } from '../shared/ollama-host.ts';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

/** Where Ollama is and how to talk to it (a remote host may need e.g. a bearer token for its proxy). */
export interface OllamaConnection {
  host: string;
  headers: Record<string, string>;
  /** Which setting chose the host, so that a diagnosis can say what to change. */
  source: 'settings' | 'OLLAMA_HOST' | 'default';
}

/** Settings first, then OLLAMA_HOST (as the ollama CLI reads it), then the local default. */
export function resolveOllamaConnection(
  settings?: Pick<Settings, 'ollama'>,
  env: NodeJS.ProcessEnv = process.env,
): OllamaConnection {
  const headers = { ...(settings?.ollama.headers ?? {}) };
  const configured = settings?.ollama.host?.trim();
  if (configured) return { host: normalizeHost(configured), headers, source: 'settings' };
  const fromEnv = env.OLLAMA_HOST?.trim();
  if (fromEnv) return { host: normalizeHost(fromEnv), headers, source: 'OLLAMA_HOST' };
  return { host: DEFAULT_OLLAMA_HOST, headers, source: 'default' };
}

/** `host`, `host:port`, `:port` and full URLs all work, as they do for the ollama CLI. */
export function normalizeHost(host: string): string {
  const { text, url, explicitScheme } = parseOllamaHost(host);
  // Kept as written: the first request then fails with a reason that names it.
  if (!url) return text;
  if (!url.port && !explicitScheme) url.port = '11434';
  // 0.0.0.0 is how a server listens, not an address to connect to.
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  return url.toString().replace(/\/+$/, '');
}

/** The host without credentials, for messages and logs (even when it is not a valid URL). */
export function displayHost(host: string): string {
  const url = URL.parse(host);
  if (!url) return host.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
  url.username = '';
  url.password = '';
  return url.toString().replace(/\/+$/, '');
}

/**
 * A client whose every request (streamed or not) ends when `signal` aborts: the `ollama` client
 * only aborts streamed requests itself, so the signal goes in through its `fetch` option. Error
 * answers that are not JSON are turned into Ollama's `{"error"}` shape here, which keeps the
 * client from logging bodies to the console; NDJSON lines that are not JSON become error lines.
 */
export function createOllamaClient(connection: OllamaConnection, signal?: AbortSignal): Ollama {
  const guardedFetch: typeof fetch = async (input, init) => {
    const signals = [signal, init?.signal].filter((s): s is AbortSignal => s !== undefined && s !== null);
    const request = { ...init, signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0] };
    return guardResponse(await fetchReadOnceMore(input, request));
  };
  const { host, headers } = credentialsAsHeader(connection);
  return new Ollama({ host, headers, fetch: guardedFetch });
}

/**
 * A kept-alive connection the server closes just as it is reused fails before any answer
 * ("other side closed"). A read (GET, HEAD) is asked once more on a new connection; a write
 * (a chat, a pull) never, since the server may have acted on it.
 */
async function fetchReadOnceMore(input: Parameters<typeof fetch>[0], init: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init);
  } catch (error) {
    const method = (init.method ?? 'GET').toUpperCase();
    if ((method !== 'GET' && method !== 'HEAD') || init.signal?.aborted || !closedBeforeAnswer(error)) throw error;
    return fetch(input, init);
  }
}

function closedBeforeAnswer(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return ['UND_ERR_SOCKET', 'ECONNRESET', 'UND_ERR_CLOSED'].includes(cause?.code ?? '') || /other side closed/i.test(cause?.message ?? '');
}

/**
 * fetch refuses a URL with a user name or password in it; like Go's HTTP client (and so the
 * ollama CLI), send them as Basic authorization instead, unless an Authorization header is set.
 */
function credentialsAsHeader({ host, headers }: OllamaConnection): Pick<OllamaConnection, 'host' | 'headers'> {
  const url = URL.parse(host);
  if (!url || (!url.username && !url.password)) return { host, headers };
  const basic = Buffer.from(`${decoded(url.username)}:${decoded(url.password)}`).toString('base64');
  const stripped = displayHost(host);
  if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) return { host: stripped, headers };
  return { host: stripped, headers: { ...headers, Authorization: `Basic ${basic}` } };
}

async function guardResponse(response: Response): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok && !type.includes('application/json')) {
    const body = readableBody(await response.text().catch(() => ''), type);
    const error = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${body ? `: ${body.slice(0, 200)}` : ''}`;
    return new Response(JSON.stringify({ error, notOllama: true }), {
      status: response.status,
      statusText: response.statusText,
      headers: { 'content-type': 'application/json' },
    });
  }
  if (response.ok && type.includes('application/x-ndjson') && response.body) {
    return new Response(response.body.pipeThrough(ndjsonGuard()), { status: response.status, headers: response.headers });
  }
  return response;
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** An error page as a line of text: its title, or its words without the markup. */
function readableBody(body: string, type: string): string {
  if (!type.includes('html')) return body.trim();
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  return title || body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Passes NDJSON through line by line, replacing a line that is not JSON with an error line. */
function ndjsonGuard(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = '';
  const checked = (line: string): string => {
    if (line.trim() === '') return '';
    try {
      JSON.parse(line);
      return `${line}\n`;
    } catch {
      return `${JSON.stringify({ error: `Ollama sent a line that is not JSON: ${line.slice(0, 80)}` })}\n`;
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const out = lines.map(checked).join('');
      if (out) controller.enqueue(encoder.encode(out));
    },
    flush(controller) {
      const out = checked(pending + decoder.decode());
      if (out) controller.enqueue(encoder.encode(out));
    },
  });
}
