import { WasmForgeError } from '../shared/errors.ts';
import { displayHost } from './ollama-connection.ts';

/** Why a connection to Ollama failed, in words a user can act on. */
export type NetworkReason =
  | 'refused' | 'dns' | 'unreachable' | 'tls' | 'timeout' | 'closed' | 'dropped' | 'bad-port' | 'bad-address' | 'network';

/** Attempt description: what was asked of which host, so every error says what was tried. */
export interface OllamaAttempt {
  host: string;
  /** e.g. "POST /api/chat" */
  request: string;
  model?: string;
}

const OLLAMA_PORT = 11434;

/** The reason as a lowercase fragment ("Ollama is not reachable: <reason>"); `detail` is the innermost cause. */
export function reasonText(reason: NetworkReason, host = '', detail = ''): string {
  switch (reason) {
    case 'refused': return 'connection refused: nothing listens there (is Ollama running?)';
    case 'dns': return 'the host name could not be resolved (DNS)';
    case 'unreachable': return 'no route to that host (the network or the host is unreachable: VPN, firewall, or a wrong address?)';
    case 'tls': return 'the TLS/HTTPS handshake failed (certificate or protocol; is the server plain http://?)';
    case 'timeout': return 'the connection timed out';
    case 'closed': return 'the server closed the connection without answering';
    case 'dropped': return 'the connection was dropped before the answer was complete';
    case 'bad-port': return `port ${portOf(host) ?? '?'} is one that fetch never connects to (it is kept for other protocols); Ollama listens on ${OLLAMA_PORT}`;
    case 'bad-address': return `"${displayHost(host)}" is not an http:// or https:// address`;
    case 'network': return detail ? `a network error (${clip(detail, 120)})` : 'a network error';
  }
}

/** Where the host is set when it is not known which chose it: the app's Settings, or the CLI's variable. */
export const EITHER_HOST_SETTING = 'Settings › Ollama host (or the OLLAMA_HOST variable, for the CLI)';

/** What to change, for each reason; `where` names the setting that chose the host. */
export function reasonHint(reason: NetworkReason, where = EITHER_HOST_SETTING): string {
  switch (reason) {
    case 'refused': return `Start Ollama (\`ollama serve\`), or point ${where} at where it runs`;
    case 'bad-port': return `Use the port Ollama listens on (${OLLAMA_PORT} unless you changed it) in ${where}`;
    case 'bad-address': return `Write the address as http://host:${OLLAMA_PORT} in ${where}`;
    case 'closed': return `Check that ${where} points at Ollama itself (or a proxy that passes requests on), and see the Ollama log`;
    default: return `Check the address in ${where}`;
  }
}

/** Classifies fetch/undici failures by their error codes and messages (the cause chain holds them). */
export function networkReason(error: unknown): NetworkReason | undefined {
  const codes = collectCodes(error);
  const messages = collectMessages(error);
  const said = (pattern: RegExp) => messages.some((m) => pattern.test(m));
  if (codes.includes('ECONNREFUSED')) return 'refused';
  if (codes.some((c) => ['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL'].includes(c))) return 'dns';
  if (codes.some((c) => ['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL'].includes(c))) return 'unreachable';
  if (codes.some((c) => /CERT|SSL|TLS|EPROTO|SELF_SIGNED|UNABLE_TO_VERIFY/.test(c)) || said(/certificate|SSL|TLS/i)) return 'tls';
  if (codes.some((c) => ['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'].includes(c))) return 'timeout';
  // fetch's own refusals, raised before any connection is made.
  if (said(/^bad port$/)) return 'bad-port';
  if (codes.includes('ERR_INVALID_URL') || said(/^unknown scheme$|^not implemented\.\.\. yet|^Failed to parse URL/)) return 'bad-address';
  const drop = codes.some((c) => ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_BODY_TIMEOUT'].includes(c))
    || said(/^terminated$|other side closed/i);
  // "fetch failed" means no response had arrived yet; a body that breaks off says "terminated".
  const beforeAnswer = error instanceof TypeError && /^fetch failed$/.test(error.message);
  if (drop) return beforeAnswer ? 'closed' : 'dropped';
  if (beforeAnswer) return 'network';
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
    const text = reasonText(reason, attempt.host, innermostMessage(error));
    const what = reason === 'closed' ? 'Ollama did not answer' : 'Ollama is not reachable';
    return new WasmForgeError('AI_UNAVAILABLE', `${what}: ${text} ${tried}`, { cause: error, hint: `${reasonHint(reason)}.` });
  }
  if (error instanceof SyntaxError) {
    return new WasmForgeError('AI_ERROR', `The answer was not valid JSON; is this an Ollama server? ${tried}`, { cause: error });
  }
  if (/Did not receive done/i.test(detail)) {
    return new WasmForgeError('AI_ERROR', `Ollama's answer stream ended before it was complete ${tried}`, { cause: error });
  }
  return new WasmForgeError('AI_ERROR', `Ollama failed: ${clip(detail)} ${tried}`, { cause: error });
}

/**
 * Ollama relays Go's network errors when it cannot reach a model registry, e.g. `pull model manifest:
 * Get "https://registry.ollama.ai/v2/…": dial tcp: lookup registry.ollama.ai on 127.0.0.53:53: server
 * misbehaving`. Returns the registry and why, in words, or undefined when the message is not one.
 */
export function registryUnreachable(message: string): { registry: string; why: string } | undefined {
  const why = REGISTRY_REASONS.find(([pattern]) => pattern.test(message))?.[1];
  if (!why) return undefined;
  const registry = /Get "https?:\/\/([^/"]+)/.exec(message)?.[1] ?? 'registry.ollama.ai';
  return { registry, why };
}

const REGISTRY_REASONS: Array<[RegExp, string]> = [
  [/\blookup \S+.*: (no such host|server misbehaving|Temporary failure in name resolution)|\bdial tcp: lookup\b/i, 'its name could not be resolved (DNS)'],
  [/network is unreachable|no route to host|host is down/i, 'there is no network route to it'],
  [/i\/o timeout|TLS handshake timeout|Client\.Timeout exceeded|context deadline exceeded/i, 'the connection timed out'],
  [/connect: connection refused|connection reset by peer|proxyconnect tcp/i, 'the connection was refused or cut (a firewall or proxy?)'],
  [/x509: |tls: failed to verify/i, 'its TLS certificate was not trusted (a proxy that inspects HTTPS?)'],
];

export function describeAttempt(attempt: OllamaAttempt): string {
  return `(tried ${attempt.request} at ${displayHost(attempt.host)}${attempt.model ? ` for "${attempt.model}"` : ''})`;
}

function fromStatus(status: number, detail: string, attempt: OllamaAttempt, tried: string): WasmForgeError {
  if (status === 404 && /not found/i.test(detail) && attempt.model && !/^HTTP 404/.test(detail)) {
    return new WasmForgeError('MODEL_NOT_INSTALLED', `Model "${attempt.model}" is approved but not installed in Ollama ${tried}`, {
      hint: `Pull it on the Models screen, or with \`wasmforge models pull ${attempt.model}\``, details: { model: attempt.model },
    });
  }
  if (status === 401 || status === 403) {
    const said = /^HTTP \d+/.test(detail) ? detail : `HTTP ${status}: ${detail}`;
    return new WasmForgeError('AI_UNAVAILABLE', `Ollama refused the request (${clip(said)}) ${tried}`, {
      hint: 'A proxy in front of Ollama wants credentials: set them in Settings › Ollama headers.',
    });
  }
  if (/^HTTP \d+/.test(detail)) {
    return new WasmForgeError('AI_UNAVAILABLE', `This does not look like an Ollama server: ${clip(detail)} ${tried}`, {
      hint: 'Check the Ollama host in Settings › Ollama (OLLAMA_HOST for the CLI).',
    });
  }
  const code = status === 502 || status === 503 || status === 504 ? 'AI_UNAVAILABLE' : 'AI_ERROR';
  return new WasmForgeError(code, `Ollama answered HTTP ${status}: ${clip(detail)} ${tried}`);
}

function responseStatus(error: unknown): number | undefined {
  const status = (error as { status_code?: unknown } | null)?.status_code;
  return typeof status === 'number' ? status : undefined;
}

function portOf(host: string): string | undefined {
  try {
    const url = new URL(host);
    return url.port || (url.protocol === 'https:' ? '443' : '80');
  } catch {
    return undefined;
  }
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

/** The deepest cause's message: for a network error, the one that says what really happened. */
export function innermostMessage(error: unknown): string | undefined {
  return collectMessages(error).at(-1);
}

function collectMessages(error: unknown, depth = 0): string[] {
  if (!(error instanceof Error) || depth > 5) return [];
  return [error.message, ...collectMessages(error.cause, depth + 1)];
}

/** Shortens text for a message; a URL's user name and password never reach one. */
function clip(text: string, max = 300): string {
  const safe = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1');
  return safe.length > max ? `${safe.slice(0, max)}…` : safe;
}
