import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createHttpClient } from '../../src/shared/api/http-client.ts';
import type { ApiClient } from '../../src/shared/api/types.ts';
import { tallyIsolation } from './poisoners.ts';

/**
 * The attack as a stranger makes it: two users of one `wasmforge serve` with one warm worker;
 * one sends plugins that leave answers and half frames behind, the other runs with private input.
 */
const token = 'isolation-test-token-0123456789';
let home: string;
let server: ResultPromise;
let client: ApiClient;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-serve-isolation-'));
  await writeFile(join(home, 'settings.json'), JSON.stringify({ sandbox: { warmPoolSize: 1 } }));
  server = execa(process.execPath, ['bin/wasmforge.js', 'serve', '--port', '0', '--ai', 'test'], {
    reject: false, env: { WASMFORGE_HOME: home, WASMFORGE_TOKEN: token }, timeout: 300_000,
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /Open (http:\/\/\S+)\/#token=/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    void server.then((result) => reject(new Error(`serve ended: ${String(result.stderr)}`)));
  });
  client = createHttpClient({ baseUrl: url, token });
});

afterAll(async () => {
  server?.kill('SIGTERM');
  await server;
  await rm(home, { recursive: true, force: true });
});

it('no run over a shared server sees another run\'s output (one warm worker)', async () => {
  const run = async (code: string, input: string) => {
    const record = await client.stream('runs.run', { code, input, remember: false }, { onEvent: () => undefined });
    return { output: record.result.output, error: record.result.error };
  };
  const tally = await tallyIsolation(run, run, 2);
  console.log(`serve isolation: ${tally.attempts} poisoner runs, ${tally.contained} private runs contained, ${tally.breached} breached`);
  expect(tally.breached).toBe(0);
  expect(tally.contained).toBe(tally.attempts * 2);
});
