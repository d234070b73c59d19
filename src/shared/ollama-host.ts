/**
 * Whether a value can be the Ollama host setting: an http(s) URL, or host[:port] / :port as the
 * ollama CLI takes them (src/ai/ollama-connection.ts fills in the rest). The Settings screen and
 * settings.update use this one rule: a host saved with typos only failed later, at a run.
 */
export const OLLAMA_HOST_RULE = 'The Ollama host must be an http(s) URL or host[:port], e.g. http://127.0.0.1:11434 or gpu-box:11434';

/** A host name (letters, digits, dashes, dots), an IPv4 address, or an IPv6 one in brackets, as URL writes them. */
const HOST_NAME = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*\.?)$/i;

/** Why the value cannot be the Ollama host, or nothing when it can (empty: the default). */
export function ollamaHostProblem(value: string): string | undefined {
  let host = value.trim();
  if (host === '') return undefined;
  if (host.startsWith(':')) host = `127.0.0.1${host}`;
  const explicitScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host);
  const url = URL.parse(explicitScheme ? host : `http://${host}`);
  const fine = url !== null && ['http:', 'https:'].includes(url.protocol) && HOST_NAME.test(url.hostname) && !/\s/.test(host)
    && (explicitScheme || !host.includes('://'));
  return fine ? undefined : OLLAMA_HOST_RULE;
}
