import { readFileSync } from 'node:fs';
import { serveApp } from '../../e2e/helpers/serve.ts';
import { createHttpClient } from '../../src/shared/api/http-client.ts';
import type { ApiClient } from '../../src/shared/api/types.ts';

/** A real `wasmforge serve` in a fresh data folder (the browser tests' own helper, without the UI build), and a client of it. */
export interface ServeProcess {
  client: ApiClient;
  /** The server process's id, to read its memory. */
  pid: number;
  stop(): Promise<void>;
}

export async function startServe(settings: Record<string, unknown> = {}): Promise<ServeProcess> {
  const app = await serveApp({ settings, buildUi: false });
  return { client: createHttpClient({ baseUrl: app.url, token: app.token }), pid: app.pid, stop: app.stop };
}

/** Runs code over the server and returns the run's result. */
export async function runOver(client: ApiClient, code: string, input: string) {
  const record = await client.stream('runs.run', { code, input, remember: false }, { onEvent: () => undefined });
  return record.result;
}

/** A process's resident memory, from Linux's /proc. */
export function residentBytes(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}
