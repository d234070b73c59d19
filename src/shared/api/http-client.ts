import { ApiError, cancelledError, unwrapEnvelope } from './api-error.ts';
import { SseParser } from './sse.ts';
import type { ApiClient, CallOptions, Envelope } from './types.ts';
import { HTTP_API } from './wire.ts';

export interface HttpClientOptions {
  /** e.g. http://127.0.0.1:4321, or '' for the page's own origin. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
}

const lostConnection = (cause: unknown): ApiError =>
  new ApiError({ code: 'INTERNAL', message: `The connection to the WasmForge server failed: ${String(cause)}`, hint: 'Is `wasmforge serve` still running?' });

/** The typed API over HTTP: JSON envelopes for calls, server-sent events for streams. */
export function createHttpClient(options: HttpClientOptions): ApiClient {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${options.token}` };

  async function post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetchImpl(options.baseUrl + path, { method: 'POST', headers, body: JSON.stringify(body ?? {}), signal });
    } catch (error) {
      if (signal?.aborted) throw cancelledError();
      throw lostConnection(error);
    }
  }

  async function readEnvelope(response: Response): Promise<Envelope> {
    try {
      return (await response.json()) as Envelope;
    } catch (error) {
      throw new ApiError({ code: 'INTERNAL', message: `The server answered ${response.status} without a valid reply: ${String(error)}` });
    }
  }

  async function call(route: string, input: unknown, callOptions: CallOptions = {}): Promise<unknown> {
    const response = await post(HTTP_API.call + route, input, callOptions.signal);
    return unwrapEnvelope(await readEnvelope(response));
  }

  async function stream(route: string, input: unknown, streamOptions: CallOptions & { onEvent: (event: unknown) => void }): Promise<unknown> {
    const { signal, onEvent } = streamOptions;
    if (signal?.aborted) throw cancelledError();
    const response = await post(HTTP_API.stream + route, input);
    if (!response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      return unwrapEnvelope(await readEnvelope(response));
    }
    let callId: string | undefined;
    let cancelWanted = false;
    const cancel = (): void => {
      cancelWanted = true;
      if (callId) void post(HTTP_API.cancel, { callId }).catch(() => undefined);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    // Aborted while the request was on its way: the listener came too late to hear it.
    if (signal?.aborted) cancel();
    try {
      const envelope = await readFrames(response.body, (id) => {
        callId = id;
        if (cancelWanted) cancel();
      }, onEvent);
      return unwrapEnvelope(envelope);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  return {
    call: (route, input, callOptions) => call(route, input, callOptions) as never,
    stream: (route, input, streamOptions) => stream(route, input, streamOptions as never) as never,
  };
}

async function readFrames(body: ReadableStream<Uint8Array>, onOpen: (callId: string) => void, onEvent: (event: unknown) => void): Promise<Envelope> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const frame of parser.push(decoder.decode(value, { stream: true }))) {
        if (frame.event === 'open') onOpen(frame.data.callId);
        else if (frame.event === 'event') onEvent(frame.data);
        else return frame.data;
      }
    }
  } catch (error) {
    throw lostConnection(error);
  } finally {
    reader.releaseLock();
  }
  throw lostConnection('the stream ended before its result');
}
