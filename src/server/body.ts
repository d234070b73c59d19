import type { IncomingMessage } from 'node:http';
import { WasmForgeError } from '../shared/errors.ts';

/** Reads a JSON body of at most `limit` bytes; refuses other content types so no HTML form can post here. */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new WasmForgeError('BAD_INPUT', 'Send the request body as application/json');
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new WasmForgeError('BAD_INPUT', 'The request body is not valid JSON');
  }
}

export class BodyTooLargeError extends WasmForgeError {}

function tooLarge(limit: number): WasmForgeError {
  return new BodyTooLargeError('BAD_INPUT', `The request body is larger than ${Math.round(limit / 1024 / 1024)} MiB`);
}
