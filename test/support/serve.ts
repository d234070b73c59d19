import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { createHttpClient } from '../../src/shared/api/http-client.ts';
import type { ApiClient } from '../../src/shared/api/types.ts';

/** A real `wasmforge serve` (the test AI provider) in a fresh data folder, and a client of it. */
export interface ServeProcess {
  client: ApiClient;
  /** The server process's id, to read its memory. */
  pid: number;
  stop(): Promise<void>;
}

export async function startServe(settings: object = {}): Promise<ServeProcess> {
  const token = `serve-${Math.random().toString(36).slice(2)}-0123456789`;
  const home = await mkdtemp(join(tmpdir(), 'wf-serve-'));
  await writeFile(join(home, 'settings.json'), JSON.stringify(settings));
  const server: ResultPromise = execa(process.execPath, ['bin/wasmforge.js', 'serve', '--port', '0', '--ai', 'test'], {
    reject: false, env: { WASMFORGE_HOME: home, WASMFORGE_TOKEN: token }, timeout: 900_000,
  });
  const stop = async () => {
    server.kill('SIGTERM');
    await server;
    await rm(home, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /Open (http:\/\/\S+)\/#token=/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      void server.then((result) => reject(new Error(`serve ended: ${String(result.stderr)}`)));
    });
    return { client: createHttpClient({ baseUrl: url, token }), pid: server.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs code over the server and returns the run's result. */
export async function runOver(client: ApiClient, code: string, input: string) {
  const record = await client.stream('runs.run', { code, input, remember: false }, { onEvent: () => undefined });
  return record.result;
}
