import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError } from '../../src/shared/api/api-error.ts';
import { createHttpClient } from '../../src/shared/api/http-client.ts';
import type { ApiClient } from '../../src/shared/api/types.ts';

/**
 * 100 runs at once over HTTP, each holding 64 MiB: every one gets its own output (or a typed BUSY
 * past the in-flight cap, and then its own output on retry), the server's memory stays bounded by
 * its pool while they run, and comes back down when they are done.
 */
const token = 'concurrent-runs-token-0123456789';
const MiB = 2 ** 20;
let home: string;
let server: ResultPromise;
let client: ApiClient;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-concurrent-'));
  server = execa(process.execPath, ['bin/wasmforge.js', 'serve', '--port', '0', '--ai', 'test'], {
    reject: false, env: { WASMFORGE_HOME: home, WASMFORGE_TOKEN: token }, timeout: 600_000,
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

const residentBytes = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
const code = 'from platform_sdk import get_input, send_output\nhoard = bytearray(64 * 2**20)\nsend_output("echo:" + get_input())';

async function runUntilServed(secret: string): Promise<{ ok: boolean; busy: number }> {
  for (let busy = 0; ; busy++) {
    try {
      const record = await client.stream('runs.run', { code, input: secret, remember: false }, { onEvent: () => undefined });
      return { ok: record.result.error === null && record.result.output === `echo:${secret}`, busy };
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'BUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

it.skipIf(process.platform !== 'linux')('serves 100 concurrent runs with its memory bounded, and returns the memory after', async () => {
  await client.call('engines.status', {});
  await runUntilServed('warm-up');
  const baseline = residentBytes();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, residentBytes())), 50);
  const outcomes = await Promise.all(Array.from({ length: 100 }, () => runUntilServed(randomUUID()))).finally(() => clearInterval(sampler));
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const after = residentBytes();
  const own = outcomes.filter((o) => o.ok).length;
  const refusals = outcomes.reduce((sum, o) => sum + o.busy, 0);
  console.log(`100 concurrent runs: ${own} got their own output, ${refusals} BUSY refusals retried; resident memory ${mib(baseline)} before, ${mib(peak)} peak, ${mib(after)} after`);
  expect(own).toBe(100);
  // Two warm workers (the default pool) at 64 MiB of guest memory each, and the server's own working set.
  expect(peak - baseline).toBeLessThan(2 * 256 * MiB + 256 * MiB);
  expect(after - baseline).toBeLessThan(128 * MiB);
}, 600_000);

const mib = (bytes: number) => `${Math.round(bytes / MiB)} MiB`;
