import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveOllamaConnection, type OllamaConnection } from '../../src/ai/ollama-connection.ts';
import { networkReason, toAiError } from '../../src/ai/ollama-errors.ts';
import { checkOllamaHealth } from '../../src/ai/ollama-health.ts';
import { OllamaProvider } from '../../src/ai/ollama-provider.ts';
import { settingsSchema } from '../../src/library/settings.ts';
import { failureOf } from './helpers.ts';

// Why Ollama could not be reached, in words a user can act on: each reason below is provoked
// through real fetch where this machine can provoke it, else built the way undici builds it.
const connection = (host: string, source: OllamaConnection['source'] = 'settings'): OllamaConnection => ({ host, headers: {}, source });
const models = (host: string) => failureOf(new OllamaProvider(connection(host)).listInstalledModels());

/** A TCP server that reads a request and closes the connection without a byte of answer. */
let silent: Server;
let silentHost = '';
beforeAll(async () => {
  silent = createServer((socket) => socket.once('data', () => socket.destroy()));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentHost = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => silent.close(resolve)));

describe('fetch\'s own refusals', () => {
  it('a port fetch blocks (9, 6000, …) is named, with Ollama\'s port as the fix', async () => {
    const health = await checkOllamaHealth(connection('http://127.0.0.1:9'));
    expect(health).toMatchObject({
      reachable: false,
      problem: 'bad-port',
      reason: 'port 9 is one that fetch never connects to (it is kept for other protocols); Ollama listens on 11434',
      hint: 'Use the port Ollama listens on (11434 unless you changed it) in Settings › Ollama host',
    });
    const error = await models('http://127.0.0.1:6000');
    // A run's refusal does not know which setting chose the host: it names both (a CLI user has no Settings screen).
    expect(error).toMatchObject({ code: 'AI_UNAVAILABLE', hint: 'Use the port Ollama listens on (11434 unless you changed it) in Settings › Ollama host (or the OLLAMA_HOST variable, for the CLI).' });
    expect(error.message).toBe('Ollama is not reachable: port 6000 is one that fetch never connects to (it is kept for other protocols); '
      + 'Ollama listens on 11434 (tried GET /api/tags at http://127.0.0.1:6000)');
  });

  it('an address that is not http(s), or not a URL at all, says so and where it was set', async () => {
    const ftp = await checkOllamaHealth(connection('ftp://127.0.0.1:2121', 'OLLAMA_HOST'));
    expect(ftp).toMatchObject({ problem: 'bad-address', reason: '"ftp://127.0.0.1:2121" is not an http:// or https:// address' });
    expect(ftp.hint).toBe('Write the address as http://host:11434 in the OLLAMA_HOST variable');
    // An address the URL parser rejects is kept as written and reported, never thrown while resolving.
    const typo = resolveOllamaConnection(settingsSchema.parse({ ollama: { host: 'http://gpu box:11434' } }));
    expect(typo.host).toBe('http://gpu box:11434');
    expect(await checkOllamaHealth(typo)).toMatchObject({ reachable: false, problem: 'bad-address' });
    expect((await models(typo.host)).code).toBe('AI_UNAVAILABLE');
  });

  it('a user name and password in the address never reach a message', async () => {
    const error = toAiError(new TypeError('Failed to parse URL from http://ann:s3cret@gpu box/api/tags'), {
      host: 'http://ann:s3cret@gpu box', request: 'GET /api/tags',
    });
    expect(error.message).not.toContain('s3cret');
  });
});

describe('the connection itself', () => {
  it('a server that closes the connection without answering is told apart from a drop mid-answer', async () => {
    expect(await checkOllamaHealth(connection(silentHost))).toMatchObject({
      problem: 'closed', reason: 'the server closed the connection without answering', hint: expect.stringContaining('Ollama log'),
    });
    const error = await models(silentHost);
    expect(error).toMatchObject({ code: 'AI_UNAVAILABLE', message: expect.stringContaining(`Ollama did not answer: the server closed the connection without answering (tried GET /api/tags at ${silentHost})`) });
  });

  // Shapes undici gives these (TypeError "fetch failed" before an answer, "terminated" during one).
  const failed = (code: string, message: string) => new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
  const terminated = (code: string, message: string) => new TypeError('terminated', { cause: Object.assign(new Error(message), { code }) });
  it.each([
    ['unreachable', 'EHOSTUNREACH', failed('EHOSTUNREACH', 'connect EHOSTUNREACH 10.9.9.9:11434'), 'no route to that host'],
    ['unreachable', 'ENETUNREACH', failed('ENETUNREACH', 'connect ENETUNREACH 10.9.9.9:11434'), 'no route to that host'],
    ['timeout', 'UND_ERR_CONNECT_TIMEOUT', failed('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error'), 'the connection timed out'],
    ['closed', 'ECONNRESET before an answer', failed('ECONNRESET', 'read ECONNRESET'), 'closed the connection without answering'],
    ['dropped', 'UND_ERR_BODY_TIMEOUT', terminated('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error'), 'dropped before the answer was complete'],
    ['dropped', 'UND_ERR_SOCKET mid-answer', terminated('UND_ERR_SOCKET', 'other side closed'), 'dropped before the answer was complete'],
    ['network', 'anything else', new TypeError('fetch failed', { cause: new Error('something unusual') }), 'a network error (something unusual)'],
  ])('%s: %s', (reason, _, error, says) => {
    expect(networkReason(error)).toBe(reason);
    const typed = toAiError(error, { host: 'http://gpu-box:11434', request: 'POST /api/chat', model: 'gemma2:2b' });
    expect(typed.code).toBe(reason === 'dropped' ? 'AI_ERROR' : 'AI_UNAVAILABLE');
    expect(typed.message).toContain(says);
    expect(typed.message).toContain('(tried POST /api/chat at http://gpu-box:11434 for "gemma2:2b")');
  });
});
