/**
 * The Ollama host setting as the ollama CLI reads it: an http(s) URL, or host[:port] / :port
 * (`:port` is on 127.0.0.1, no scheme is http). One reading for the Settings screen and
 * settings.update (which refuse what it cannot be) and the AI backend (which connects to it):
 * a host saved with typos only failed later, at a run.
 */
export const OLLAMA_HOST_RULE = 'The Ollama host must be an http(s) URL or host[:port], e.g. http://127.0.0.1:11434 or gpu-box:11434';

/** A host name (letters, digits, dashes, dots), an IPv4 address, or an IPv6 one in brackets, as URL writes them. */
const HOST_NAME = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?)$/i;

export interface ParsedOllamaHost {
  /** The value trimmed, `:port` given its host. */
  text: string;
  /** The value as a URL (http:// put in front when it had no scheme); null when it is none. */
  url: URL | null;
  explicitScheme: boolean;
}

export function parseOllamaHost(value: string): ParsedOllamaHost {
  let text = value.trim();
  if (text.startsWith(':')) text = `127.0.0.1${text}`;
  const explicitScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  return { text, url: URL.parse(explicitScheme ? text : `http://${text}`), explicitScheme };
}

/** Why the value cannot be the Ollama host, or nothing when it can (empty: the default). */
export function ollamaHostProblem(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const { text, url, explicitScheme } = parseOllamaHost(value);
  const fine = url !== null && ['http:', 'https:'].includes(url.protocol) && HOST_NAME.test(url.hostname) && !/\s/.test(text)
    && (explicitScheme || !text.includes('://'));
  return fine ? undefined : OLLAMA_HOST_RULE;
}
