import { z } from 'zod';
import { WasmForgeError } from '../shared/errors.ts';
import { createOllamaClient, displayHost, type OllamaConnection } from './ollama-connection.ts';
import { EITHER_HOST_SETTING, innermostMessage, networkReason, reasonHint, reasonText, type NetworkReason } from './ollama-errors.ts';

export type OllamaProblem = NetworkReason | 'not-ollama' | 'unauthorized' | 'error';

export interface OllamaHealth {
  reachable: boolean;
  host: string;
  source: OllamaConnection['source'];
  version?: string;
  /** Round trip of GET /api/version. */
  latencyMs?: number;
  problem?: OllamaProblem;
  /** A sentence a user can act on when not reachable. */
  reason?: string;
  hint?: string;
}

const versionSchema = z.object({ version: z.string().min(1) });

/** Asks /api/version: is Ollama there, which version, how far away, and if not, why not. */
export async function checkOllamaHealth(connection: OllamaConnection, options: { timeoutMs?: number } = {}): Promise<OllamaHealth> {
  const base = { host: displayHost(connection.host), source: connection.source };
  const timeoutMs = options.timeoutMs ?? 3000;
  const started = performance.now();
  try {
    const answer = versionSchema.safeParse(await createOllamaClient(connection, AbortSignal.timeout(timeoutMs)).version());
    const latencyMs = performance.now() - started;
    if (!answer.success) return { ...base, reachable: false, latencyMs, ...diagnose('not-ollama') };
    return { ...base, reachable: true, version: answer.data.version, latencyMs };
  } catch (error) {
    return { ...base, reachable: false, ...diagnose(classify(error), { timeoutMs, connection, error }) };
  }
}

function classify(error: unknown): OllamaProblem {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const status = (error as { status_code?: unknown }).status_code;
  if (status === 401 || status === 403) return 'unauthorized';
  if (typeof status === 'number' || error instanceof SyntaxError) return 'not-ollama';
  return networkReason(error) ?? (error instanceof WasmForgeError ? 'error' : 'network');
}

/**
 * Where the user changes the host: the one in use when it was set, both when neither was (the app's
 * Settings screen, and OLLAMA_HOST for the CLI; a host saved in the settings wins over the variable).
 */
function hostSetIn(connection: OllamaConnection | undefined): string {
  if (connection?.source === 'OLLAMA_HOST') return 'the OLLAMA_HOST variable';
  if (connection?.source === 'settings') return 'Settings › Ollama host';
  return EITHER_HOST_SETTING;
}

interface DiagnoseContext {
  timeoutMs?: number;
  connection?: OllamaConnection;
  error?: unknown;
}

function diagnose(problem: OllamaProblem, { timeoutMs = 0, connection, error }: DiagnoseContext = {}): Pick<OllamaHealth, 'problem' | 'reason' | 'hint'> {
  const where = hostSetIn(connection);
  switch (problem) {
    case 'timeout':
      return { problem, reason: `no answer within ${Math.round(timeoutMs / 100) / 10} s`, hint: `Check that the host in ${where} is up and reachable` };
    case 'not-ollama':
      return { problem, reason: 'something answers there, but it is not an Ollama server', hint: `Check the port in ${where} (Ollama uses 11434)` };
    case 'unauthorized':
      return { problem, reason: 'the server refused the credentials', hint: 'Set the headers your proxy needs in Settings › Ollama headers' };
    case 'error':
      return { problem, reason: 'an unexpected error', hint: 'Run `wasmforge doctor` again; if it persists, check the Ollama log' };
    default:
      return { problem, reason: reasonText(problem, connection?.host, innermostMessage(error)), hint: reasonHint(problem, where) };
  }
}
