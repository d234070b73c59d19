import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeCatalog, type FakeModelSpec } from './catalog.ts';
import { defaultResponder, type FakeResponder } from './answers.ts';
import { handleChat, handleEmbed, handleGenerate } from './inference.ts';
import { handleDelete, handlePull, type RegistryFailure } from './pull.ts';
import { sendError, sendJson, sendRaw, sendText, type RequestContext } from './http.ts';

export type { RequestContext } from './http.ts';

/**
 * A faithful stand-in for an Ollama server (same endpoints, NDJSON streaming, error bodies and
 * status codes as the `ollama` client expects), with faults that tests switch on at will.
 */
export interface FakeOllamaOptions {
  /** Installed models; default: the original's four plus an embedding model and a vision model. */
  models?: FakeModelSpec[];
  /** Models /api/pull can fetch. */
  pullable?: FakeModelSpec[];
  responder?: FakeResponder;
  version?: string;
  /** When set, requests without these exact headers get 401, as a reverse proxy would answer. */
  requireHeaders?: Record<string, string>;
}

export interface FakeOllamaFaults {
  /** Delay before any answer. */
  latencyMs?: number;
  /** Delay between streamed tokens (and per token before a non-streamed answer). */
  tokenLatencyMs?: number;
  /** Drop the connection after this many tokens (0: before any byte of the answer). */
  disconnectAfterTokens?: number;
  /** Stream this error line after this many tokens, as Ollama does when a runner dies. */
  errorAfterTokens?: { tokens: number; message: string };
  /** The next `count` inference requests (default: all) fail with this status. */
  failStatus?: { status: number; message?: string; count?: number };
  /** Answer inference and catalog requests with bytes that are not JSON. */
  garbage?: boolean;
  /** Behave like some other web server that happens to listen on the port. */
  notOllama?: boolean;
  /** Never answer inference requests (until the client gives up). */
  hang?: boolean;
  /** Ollama runs but cannot reach its model library (no internet): pulls fail as the real one's do. */
  registryOffline?: RegistryFailure;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
  /** The client hung up before the answer was complete. */
  aborted: boolean;
  /** The whole answer has been written. */
  finished: boolean;
}


export const DEFAULT_FAKE_MODELS: FakeModelSpec[] = [
  { name: 'mistral:latest', family: 'llama', parameterSize: '7.2B', quantization: 'Q4_0', size: 4_113_301_824 },
  { name: 'qwen2.5:1.5b', family: 'qwen2', parameterSize: '1.5B', size: 986_061_892 },
  { name: 'gemma2:2b', family: 'gemma2', parameterSize: '2.6B', quantization: 'Q4_0', size: 1_629_518_495 },
  { name: 'llama3.2:latest', family: 'llama', parameterSize: '3.2B', size: 2_019_393_189 },
  { name: 'nomic-embed-text:latest', family: 'nomic-bert', parameterSize: '137M', quantization: 'F16', size: 274_302_450, capabilities: ['embedding'] },
  { name: 'llava:latest', family: 'llama', parameterSize: '7B', quantization: 'Q4_0', size: 4_733_363_377, capabilities: ['completion', 'vision'] },
];

type Handler = (ctx: RequestContext) => Promise<void> | void;

// As Ollama's router (server/routes.go) has them; HEAD answers like GET without the body.
const ROUTES: Record<string, Handler> = {
  'GET /': ({ res }) => sendText(res, 200, 'Ollama is running'),
  'HEAD /': ({ res }) => sendText(res, 200, 'Ollama is running'),
  'GET /api/version': ({ server, res }) => sendJson(res, 200, { version: server.version }),
  'HEAD /api/version': ({ server, res }) => sendJson(res, 200, { version: server.version }),
  'GET /api/tags': ({ server, res }) => server.catalogAnswer(res, server.catalog.tags()),
  'HEAD /api/tags': ({ server, res }) => server.catalogAnswer(res, server.catalog.tags()),
  'GET /api/ps': ({ server, res }) => server.catalogAnswer(res, server.catalog.ps()),
  'POST /api/show': showModel,
  'POST /api/generate': handleGenerate,
  'POST /api/chat': handleChat,
  'POST /api/embed': handleEmbed,
  'POST /api/pull': handlePull,
  'DELETE /api/delete': handleDelete,
};

export class FakeOllama {
  readonly catalog: FakeCatalog;
  readonly version: string;
  responder: FakeResponder;
  faults: FakeOllamaFaults = {};
  readonly requests: RecordedRequest[] = [];
  /** Requests whose client hung up before the answer was complete (e.g. a cancelled run). */
  abortedRequests = 0;
  /** Most inference requests under way at the same time so far. */
  peakConcurrency = 0;
  private inFlight = 0;
  url = '';
  private readonly server: Server;

  private constructor(private readonly options: FakeOllamaOptions) {
    this.catalog = new FakeCatalog(options.models ?? DEFAULT_FAKE_MODELS, options.pullable ?? []);
    this.version = options.version ?? '0.12.6';
    this.responder = options.responder ?? defaultResponder;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
    const fake = new FakeOllama(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Inference requests seen so far (generate, chat, embed). */
  inferenceRequests(): RecordedRequest[] {
    return this.requests.filter((r) => /^\/api\/(generate|chat|embed)$/.test(r.path));
  }

  catalogAnswer(res: ServerResponse, value: unknown): void {
    if (this.faults.garbage) return sendRaw(res, 200, 'application/json', '<html>definitely not json');
    sendJson(res, 200, value);
  }

  /** Applies the inference faults; returns true when the request has been answered by one. */
  async injectInferenceFault(ctx: RequestContext): Promise<boolean> {
    const { faults } = this;
    if (faults.hang) {
      await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
      return true;
    }
    const fail = faults.failStatus;
    if (fail && (fail.count === undefined || fail.count > 0)) {
      if (fail.count !== undefined) fail.count--;
      sendError(ctx.res, fail.status, fail.message ?? 'llama runner process has terminated: exit status 2');
      return true;
    }
    if (faults.garbage) {
      sendRaw(ctx.res, 200, 'application/x-ndjson', 'this is not json\n{"model": broken\n');
      return true;
    }
    if (faults.disconnectAfterTokens === 0) {
      ctx.res.socket?.destroy();
      return true;
    }
    return false;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const controller = new AbortController();
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body: undefined, aborted: false, finished: false };
    res.on('finish', () => (recorded.finished = true));
    res.on('close', () => {
      if (!res.writableFinished) {
        this.abortedRequests++;
        recorded.aborted = true;
        controller.abort();
      }
    });
    const inference = /^\/api\/(generate|chat|embed)$/.test(path);
    if (inference) this.peakConcurrency = Math.max(this.peakConcurrency, ++this.inFlight);
    res.on('close', () => {
      if (inference) this.inFlight--;
    });
    const raw = await readBody(req);
    const body = parseBody(raw);
    recorded.body = body.ok ? body.value : raw;
    this.requests.push(recorded);
    try {
      if (this.faults.latencyMs) await sleep(this.faults.latencyMs, undefined, { signal: controller.signal });
      if (this.faults.notOllama) return sendRaw(res, 404, 'text/html', '<html><body><h1>404 Not Found</h1>nginx</body></html>');
      if (!this.authorized(req)) return proxyUnauthorized(res);
      const route = ROUTES[`${req.method} ${path}`];
      // gin's answers: plain text, and 405 when the path exists for another method.
      if (!route) {
        const known = Object.keys(ROUTES).some((key) => key.endsWith(` ${path}`));
        return known ? sendText(res, 405, '405 method not allowed') : sendText(res, 404, '404 page not found');
      }
      if (!body.ok) return sendError(res, 400, body.error);
      if (body.value === undefined && (req.method === 'POST' || req.method === 'DELETE')) return sendError(res, 400, 'missing request body');
      await route({ server: this, req, res, body: body.value, signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted) return;
      if (!res.headersSent) sendError(res, 500, String(error));
      else res.destroy();
    }
  }

  private authorized(req: IncomingMessage): boolean {
    return Object.entries(this.options.requireHeaders ?? {}).every(([name, value]) => req.headers[name.toLowerCase()] === value);
  }
}

/** What a reverse proxy (nginx here) in front of Ollama answers a request without its credentials. */
function proxyUnauthorized(res: ServerResponse): void {
  const page = '<html>\r\n<head><title>401 Authorization Required</title></head>\r\n<body>\r\n<center><h1>401 Authorization Required</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
  res.setHeader('www-authenticate', 'Basic realm="ollama"');
  sendRaw(res, 401, 'text/html', page);
}

function showModel({ server, res, body }: RequestContext): void {
  const name = (body as { model?: unknown; name?: unknown } | undefined);
  const model = typeof name?.model === 'string' ? name.model : typeof name?.name === 'string' ? name.name : '';
  if (!model) return sendError(res, 400, 'model is required');
  const details = server.catalog.show(model);
  if (!details) return sendError(res, 404, `model '${model}' not found`);
  sendJson(res, 200, details);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (raw === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) };
  } catch (error) {
    // Worded as Go's encoding/json words it.
    const token = /Unexpected token '?([^',])'?/.exec((error as Error).message)?.[1];
    return { ok: false, error: token ? `invalid character '${token}' looking for beginning of value` : 'unexpected EOF' };
  }
}
