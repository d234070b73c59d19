import { WasmForgeError } from '../shared/errors.ts';
import { displayHost } from './ollama-connection.ts';

/** Why a connection to Ollama failed, in words a user can act on. */
export type NetworkReason = 'refused' | 'dns' | 'tls' | 'timeout' | 'dropped' | 'network';

const REASON_TEXT: Record<NetworkReason, string> = {
  refused: 'connection refused: nothing listens there (is Ollama running?)',
  dns: 'the host name could not be resolved (DNS)',
  tls: 'the TLS/HTTPS handshake failed (certificate or protocol)',
  timeout: 'the connection timed out',
  dropped: 'the connection was dropped before the answer was complete',
  network: 'a network error',
};

/** Attempt description: what was asked of which host, so every error says what was tried. */
export interface OllamaAttempt {
  host: string;
  /** e.g. "POST /api/chat" */
  request: string;
  model?: string;
}

export function reasonText(reason: NetworkReason): string {
  return REASON_TEXT[reason];
}

/** Classifies fetch/undici failures by their error codes (the cause chain holds them). */
export function networkReason(error: unknown): NetworkReason | undefined {
  const codes = collectCodes(error);
  const message = collectMessages(error).join(' ');
  if (codes.some((c) => c === 'ECONNREFUSED')) return 'refused';
  if (codes.some((c) => c === 'ENOTFOUND' || c === 'EAI_AGAIN' || c === 'EAI_NONAME')) return 'dns';
  if (codes.some((c) => /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY/.test(c)) || /certificate|SSL|TLS/i.test(message)) return 'tls';
  if (codes.some((c) => c === 'ETIMEDOUT' || c === 'UND_ERR_CONNECT_TIMEOUT' || c === 'UND_ERR_HEADERS_TIMEOUT')) return 'timeout';
  if (codes.some((c) => c === 'ECONNRESET' || c === 'UND_ERR_SOCKET' || c === 'EPIPE') || /terminated|other side closed/i.test(message)) {
    return 'dropped';
  }
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return 'network';
  return undefined;
}

/**
 * Maps anything the `ollama` client throws to a typed error naming the attempt:
 * unreachable → AI_UNAVAILABLE, model missing → MODEL_NOT_INSTALLED, failure mid-answer → AI_ERROR.
 */
export function toAiError(error: unknown, attempt: OllamaAttempt): WasmForgeError {
  if (error instanceof WasmForgeError) return error;
  const tried = describeAttempt(attempt);
  const status = responseStatus(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (status !== undefined) return fromStatus(status, detail, attempt, tried);
  const reason = networkReason(error);
  if (reason === 'dropped') {
    return new WasmForgeError('AI_ERROR', `Ollama stopped in the middle of the answer: ${reasonText(reason)} ${tried}`, { cause: error });
  }
  if (reason) {
    return new WasmForgeError('AI_UNAVAILABLE', `Ollama is not reachable: ${reasonText(reason)} ${tried}`, {
      cause: error,
      hint: reason === 'refused' ? 'Start Ollama (`ollama serve`) or set its address in Settings › Ollama host.' : 'Check the Ollama host in Settings.',
    });
  }
  if (error instanceof SyntaxError) {
    return new WasmForgeError('AI_ERROR', `The answer was not valid JSON; is this an Ollama server? ${tried}`, { cause: error });
  }
  if (/Did not receive done/i.test(detail)) {
    return new WasmForgeError('AI_ERROR', `Ollama's answer stream ended before it was complete ${tried}`, { cause: error });
  }
  return new WasmForgeError('AI_ERROR', `Ollama failed: ${clip(detail)} ${tried}`, { cause: error });
}

export function describeAttempt(attempt: OllamaAttempt): string {
  return `(tried ${attempt.request} at ${displayHost(attempt.host)}${attempt.model ? ` for "${attempt.model}"` : ''})`;
}

function fromStatus(status: number, detail: string, attempt: OllamaAttempt, tried: string): WasmForgeError {
  if (status === 404 && /not found/i.test(detail) && attempt.model && !/^HTTP 404/.test(detail)) {
    return new WasmForgeError('MODEL_NOT_INSTALLED', `Model "${attempt.model}" is approved but not installed in Ollama ${tried}`, {
      hint: `Pull it first: wasmforge models pull ${attempt.model}`,
    });
  }
  if (status === 401 || status === 403) {
    return new WasmForgeError('AI_UNAVAILABLE', `Ollama refused the request (HTTP ${status}): ${clip(detail)} ${tried}`, {
      hint: 'A proxy in front of Ollama wants credentials: set them in Settings › Ollama headers.',
    });
  }
  if (/^HTTP \d+/.test(detail)) {
    return new WasmForgeError('AI_UNAVAILABLE', `This does not look like an Ollama server: ${clip(detail)} ${tried}`, {
      hint: 'Check the Ollama host in Settings.',
    });
  }
  const code = status === 502 || status === 503 || status === 504 ? 'AI_UNAVAILABLE' : 'AI_ERROR';
  return new WasmForgeError(code, `Ollama answered HTTP ${status}: ${clip(detail)} ${tried}`);
}

function responseStatus(error: unknown): number | undefined {
  const status = (error as { status_code?: unknown } | null)?.status_code;
  return typeof status === 'number' ? status : undefined;
}

function collectCodes(error: unknown, depth = 0): string[] {
  if (!error || typeof error !== 'object' || depth > 5) return [];
  const own = (error as { code?: unknown }).code;
  const nested = [
    ...collectCodes((error as { cause?: unknown }).cause, depth + 1),
    ...((error as { errors?: unknown[] }).errors ?? []).flatMap((e) => collectCodes(e, depth + 1)),
  ];
  return typeof own === 'string' ? [own, ...nested] : nested;
}

function collectMessages(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error) || depth > 5) return [];
  return [error.message, ...collectMessages(error.cause, depth + 1)];
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
