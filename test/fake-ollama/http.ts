import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeOllama } from './server.ts';

export interface RequestContext {
  server: FakeOllama;
  req: IncomingMessage;
  res: ServerResponse;
  body: unknown;
  /** Aborted when the client goes away before the answer is complete. */
  signal: AbortSignal;
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendRaw(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

/** Ollama's error body: `{"error": "..."}` with the status that says what kind of failure it is. */
export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { error: message });
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  sendRaw(res, status, 'text/plain; charset=utf-8', text);
}

export function sendRaw(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
