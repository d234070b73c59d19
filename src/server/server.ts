import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toErrorInfo, type ErrorInfo } from '../shared/errors.ts';
import { formatSse } from '../shared/api/sse.ts';
import type { Dispatcher, Envelope } from '../shared/api/types.ts';
import { HTTP_API, MAX_BODY_BYTES, MAX_CALLS_IN_FLIGHT, tooManyCalls } from '../shared/api/wire.ts';
import { BodyBudget, BodyRefusedError, BodyTooLargeError, readJsonBody } from './body.ts';
import { bearerToken, hostProblem, isAnyAddress, originProblem, SECURITY_HEADERS, tokenMatches } from './guard.ts';
import { StaticFiles } from './static.ts';

export interface ApiServerOptions {
  dispatcher: Dispatcher;
  /** Defaults to 127.0.0.1; anything else exposes the API (still behind the token) to the network. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Defaults to a fresh random token. */
  token?: string;
  /** The built renderer (out/renderer); without it only the API is served. */
  rendererDir?: string;
  log?: (message: string) => void;
  /** API calls (streams included) under way at once, from all clients; default MAX_CALLS_IN_FLIGHT. */
  maxInFlight?: number;
  /** How long a request body may take to arrive after its headers; default BODY_TIMEOUT_MS. */
  bodyTimeoutMs?: number;
}

export interface ApiServer {
  readonly url: string;
  /** The URL that signs a browser in (the token rides in the fragment, which never reaches a server). */
  readonly signInUrl: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const STATUS: Partial<Record<ErrorInfo['code'], number>> = { UNAUTHORIZED: 401, BUSY: 429, BAD_INPUT: 400, NOT_FOUND: 404, ALREADY_EXISTS: 409, INTERNAL: 500 };
const KEEPALIVE_MS = 15_000;
/** Headers and body must each arrive in time: a client that trickles them holds a socket, never a call slot, and not for long. */
const HEADERS_TIMEOUT_MS = 20_000;
export const BODY_TIMEOUT_MS = 30_000;

/** `wasmforge serve`: the same API as the desktop app's IPC, over HTTP + server-sent events, plus the UI. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const files = options.rendererDir ? new StaticFiles(options.rendererDir) : undefined;
  const streams = new Map<string, AbortController>();
  const bound = { host, port: 0 };
  const maxInFlight = options.maxInFlight ?? MAX_CALLS_IN_FLIGHT;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  // As much memory for bodies still arriving as for the bodies of the calls under way.
  const bodyRules = { limit: MAX_BODY_BYTES, deadlineMs: bodyTimeoutMs, budget: new BodyBudget(MAX_BODY_BYTES * maxInFlight) };
  let inFlight = 0;

  // node:http's own deadlines are the backstop (a bare 408): for headers, and for the whole request, after ours.
  const server = createServer({ headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: HEADERS_TIMEOUT_MS + bodyTimeoutMs + 5000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log?.(`request failed: ${String(error)}`);
      if (!response.headersSent) sendEnvelope(response, { ok: false, error: toErrorInfo(error) });
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://local');
    const problem = hostProblem(request, bound) ?? (url.pathname.startsWith('/api/') ? originProblem(request) : undefined);
    if (problem) return sendEnvelope(response, { ok: false, error: { code: 'UNAUTHORIZED', message: problem } }, 403);
    if (url.pathname === HTTP_API.health) return sendEnvelope(response, { ok: true, data: { status: 'ok' } });
    if (url.pathname.startsWith('/api/')) return handleApi(url.pathname, request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendEnvelope(response, badInput('Method not allowed'), 405);
    if (!files) return sendEnvelope(response, { ok: false, error: { code: 'NOT_FOUND', message: 'This server has no UI' } });
    await files.serve(url.pathname, /\bgzip\b/.test(request.headers['accept-encoding'] ?? ''), response);
  }

  async function handleApi(pathname: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return sendEnvelope(response, badInput('Use POST for API calls'), 405);
    if (!tokenMatches(bearerToken(request), token)) {
      return sendEnvelope(response, { ok: false, error: { code: 'UNAUTHORIZED', message: 'A valid token is required', hint: 'Open the URL that `wasmforge serve` printed' } });
    }
    let body: unknown;
    try {
      body = await readJsonBody(request, bodyRules);
    } catch (error) {
      return refuseBody(request, response, error);
    }
    // Counted once the body is here: a body still arriving (bounded in time and memory) holds no slot. A cancel always gets through.
    if (pathname !== HTTP_API.cancel) {
      if (inFlight >= maxInFlight) return sendEnvelope(response, { ok: false, error: tooManyCalls(maxInFlight) });
      inFlight += 1;
      response.once('close', () => (inFlight -= 1));
    }
    if (pathname === HTTP_API.cancel) return cancel(body, response);
    const isStream = pathname.startsWith(HTTP_API.stream);
    const route = pathname.slice((isStream ? HTTP_API.stream : HTTP_API.call).length);
    if (!pathname.startsWith(HTTP_API.call) && !isStream) return sendEnvelope(response, notFound(pathname));
    if (!options.dispatcher.isRoute(route)) return sendEnvelope(response, notFound(route));
    if (options.dispatcher.isStream(route) !== isStream) {
      return sendEnvelope(response, badInput(`${route} is ${isStream ? 'not ' : ''}a stream route: use ${isStream ? HTTP_API.call : HTTP_API.stream}`));
    }
    const controller = new AbortController();
    response.on('close', () => controller.abort());
    if (!isStream) return sendEnvelope(response, await options.dispatcher.dispatch(route, body, { signal: controller.signal, emit: () => undefined }));
    await stream(route, body, controller, response);
  }

  async function stream(route: string, body: unknown, controller: AbortController, response: ServerResponse): Promise<void> {
    const callId = randomUUID();
    streams.set(callId, controller);
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', ...SECURITY_HEADERS });
    response.flushHeaders();
    response.write(formatSse({ event: 'open', data: { callId } }));
    const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
    try {
      const envelope = await options.dispatcher.dispatch(route, body, {
        signal: controller.signal,
        emit: (event) => response.writableEnded || response.write(formatSse({ event: 'event', data: event })),
      });
      if (!response.writableEnded) response.end(formatSse({ event: 'end', data: envelope }));
    } finally {
      clearInterval(keepalive);
      streams.delete(callId);
    }
  }

  function cancel(body: unknown, response: ServerResponse): void {
    const callId = typeof body === 'object' && body !== null ? (body as { callId?: unknown }).callId : undefined;
    const controller = typeof callId === 'string' ? streams.get(callId) : undefined;
    controller?.abort();
    sendEnvelope(response, { ok: true, data: { cancelled: Boolean(controller) } });
  }

  await listen(server, options.port ?? 0, host);
  bound.port = (server.address() as AddressInfo).port;
  // Bound to every interface, it is opened on this machine through loopback (the same family: :: holds ::1).
  const urlHost = isAnyAddress(host) ? (host.includes(':') ? '::1' : '127.0.0.1') : host;
  const displayHost = urlHost.includes(':') && !urlHost.startsWith('[') ? `[${urlHost}]` : urlHost;
  const url = `http://${displayHost}:${bound.port}`;
  return {
    url,
    signInUrl: `${url}/#token=${token}`,
    port: bound.port,
    token,
    close: () => closeServer(server, streams),
  };
}

/** 413 after reading and dropping the rest (so the client sees it, not a reset); a slow body or a spent budget ends the connection. */
function refuseBody(request: IncomingMessage, response: ServerResponse, error: unknown): void {
  if (error instanceof BodyTooLargeError) request.resume();
  if (error instanceof BodyRefusedError) {
    response.shouldKeepAlive = false;
    // The client may still be sending: give the answer a moment to leave, then drop the socket.
    response.once('finish', () => setTimeout(() => request.socket.destroy(), 1000).unref());
  }
  const status = error instanceof BodyTooLargeError ? 413 : error instanceof BodyRefusedError ? error.status : 400;
  sendEnvelope(response, { ok: false, error: toErrorInfo(error) }, status);
}

function sendEnvelope(response: ServerResponse, envelope: Envelope, status?: number): void {
  const code = status ?? (envelope.ok ? 200 : STATUS[envelope.error.code] ?? 422);
  const body = JSON.stringify(envelope);
  response.writeHead(code, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
  response.end(body);
}

const badInput = (message: string): Envelope => ({ ok: false, error: { code: 'BAD_INPUT', message } });
const notFound = (what: string): Envelope => ({ ok: false, error: { code: 'NOT_FOUND', message: `No API route "${what.slice(0, 100)}"` } });

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server, streams: Map<string, AbortController>): Promise<void> {
  for (const controller of streams.values()) controller.abort();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
