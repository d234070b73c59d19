import type { IncomingMessage } from 'node:http';
import { WasmForgeError } from '../shared/errors.ts';

export interface BodyRules {
  /** Most bytes one body may have. */
  limit: number;
  /** The whole body must have arrived this long after the headers, however slowly it trickles. */
  deadlineMs: number;
  /** Bytes of all the bodies being read at once, shared by every request. */
  budget: BodyBudget;
}

/** Reads a JSON body within the rules; refuses other content types so no HTML form can post here. */
export async function readJsonBody(request: IncomingMessage, rules: BodyRules): Promise<unknown> {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new WasmForgeError('BAD_INPUT', 'Send the request body as application/json');
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > rules.limit) throw tooLarge(rules.limit);
  const body = await collect(request, rules);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new WasmForgeError('BAD_INPUT', 'The request body is not valid JSON');
  }
}

/** A body refused before it was read to the end: the rest of it is not wanted, so the connection closes after the answer. */
export class BodyRefusedError extends WasmForgeError {
  constructor(code: 'TIMEOUT' | 'BUSY', message: string, readonly status: number) {
    super(code, message);
  }
}

export class BodyTooLargeError extends WasmForgeError {}

/**
 * Bytes held by bodies still arriving. The first SMALL_BODY_BYTES of each body are always let in (API
 * calls are small, so slow or stalled big bodies cannot lock them out); beyond that, all bodies share
 * one budget, so memory stays bounded however many connections send at once.
 */
export class BodyBudget {
  private used = 0;

  constructor(private readonly capacity: number) {}

  take(bytes: number): boolean {
    if (this.used + bytes > this.capacity) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }
}

const SMALL_BODY_BYTES = 64 * 1024;

/** The body's bytes, or a typed refusal when it is too large, too slow, or the budget is spent. */
function collect(request: IncomingMessage, rules: BodyRules): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let held = 0;
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      request.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      rules.budget.give(held);
      if (!error) return resolve(Buffer.concat(chunks, size));
      request.pause();
      reject(error);
    };
    const timer = setTimeout(() => finish(new BodyRefusedError('TIMEOUT',
      `The request body did not arrive within ${rules.deadlineMs / 1000} s; send it all at once`, 408)), rules.deadlineMs);
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > rules.limit) return finish(tooLarge(rules.limit));
      const beyondSmall = Math.max(0, size - Math.max(SMALL_BODY_BYTES, size - chunk.length));
      if (beyondSmall > 0 && !rules.budget.take(beyondSmall)) {
        return finish(new BodyRefusedError('BUSY', 'Too many large request bodies are arriving at once; try again in a moment', 429));
      }
      held += beyondSmall;
      chunks.push(chunk);
    };
    const onEnd = (): void => finish();
    const onClose = (): void => finish(new WasmForgeError('BAD_INPUT', 'The client closed the connection before the body arrived'));
    request.on('data', onData).on('end', onEnd).on('error', finish).on('close', onClose);
  });
}

function tooLarge(limit: number): WasmForgeError {
  return new BodyTooLargeError('BAD_INPUT', `The request body is larger than ${Math.round(limit / 1024 / 1024)} MiB`);
}
