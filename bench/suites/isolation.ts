import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { residentBytes, runOver, startServe } from '../../test/support/serve.ts';
import { ECHO_CODE, POISONERS, tallyIsolation } from '../../test/sandbox/poisoners.ts';
import { median, timed } from '../stats.ts';
import type { BenchRow } from '../types.ts';

/**
 * Isolation and trust, measured as a stranger attacks: over a real `wasmforge serve` with one warm
 * worker, plugins that leave answers or half frames behind, beside another user's private runs;
 * what a poisoner costs the next run; and the server's memory under runs that each hold 64 MiB.
 */
const SUITE = 'isolation';
const MiB = 2 ** 20;
const row = (metric: string, value: number, unit: string, target?: [string, boolean], note?: string): BenchRow =>
  ({ suite: SUITE, metric, value, unit, ...(target ? { target: target[0], pass: target[1] } : {}), ...(note ? { note } : {}) });

/** The attacks of issue #9 that are kept as tests: each test is one attack, passing when it is contained. */
const ATTACKS: Record<string, string[]> = {
  'marketplace identity and denial of service': [
    'test/marketplace/identity-attacks.test.ts', 'test/marketplace/dos-attacks.test.ts',
    'test/marketplace/bundle-trust.test.ts', 'test/marketplace/identity-upgrade.test.ts',
  ],
  'the host (terminal, slow bodies, secrets, data folder)': [
    'src/server/slow-body.test.ts', 'test/cli/terminal-output.test.ts', 'test/cli/db-add-author.test.ts',
    'test/library/private-files.test.ts', 'test/library/leftovers.test.ts',
  ],
};

export async function run(): Promise<BenchRow[]> {
  return [...(await poisonedServer()), ...(await memoryUnderLoad()), ...Object.entries(ATTACKS).flatMap(([name, files]) => attackRows(name, files))];
}

/** Runs the attack tests with Vitest's JSON report: attempts, contained (passed), breached (failed). */
function attackRows(name: string, files: string[]): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'wf-attacks-'));
  try {
    const report = join(dir, 'report.json');
    spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'unit', '--reporter=json', `--outputFile=${report}`, ...files], { stdio: 'ignore' });
    const { numTotalTests, numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, 'utf8')) as Record<string, number>;
    return [
      row(`${name}: attacks attempted`, numTotalTests!, 'attacks', undefined, `${files.length} test files`),
      row(`${name}: contained`, numPassedTests!, 'attacks', [`= ${numTotalTests}`, numPassedTests === numTotalTests]),
      row(`${name}: breached`, numFailedTests!, 'attacks', ['= 0', numFailedTests === 0]),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function poisonedServer(): Promise<BenchRow[]> {
  const serve = await startServe({ sandbox: { warmPoolSize: 1 } });
  try {
    const run = (code: string, input: string) => runOver(serve.client, code, input);
    const tally = await tallyIsolation(run, run, 3);
    const afterClean: number[] = [];
    const afterPoison: number[] = [];
    for (let i = 0; i < 30; i++) {
      await run(i % 2 ? POISONERS[i % POISONERS.length]!.code : ECHO_CODE, '');
      (i % 2 ? afterPoison : afterClean).push((await timed(() => run(ECHO_CODE, randomUUID())))[0]);
    }
    const note = `one warm worker, ${POISONERS.length} kinds of poisoner`;
    return [
      row('poisoner runs (attempts)', tally.attempts, 'runs', undefined, note),
      row('private runs of another user contained', tally.contained, 'runs', [`= ${tally.attempts * 2}`, tally.contained === tally.attempts * 2], note),
      row('private runs breached (another run\'s output, an error or a hang)', tally.breached, 'runs', ['= 0', tally.breached === 0], note),
      row('a run after an ordinary run, over HTTP: p50', median(afterClean), 'ms', undefined, '15 runs'),
      row('a run after a poisoner (its worker retired), over HTTP: p50', median(afterPoison), 'ms', undefined, '15 runs'),
    ];
  } finally {
    await serve.stop();
  }
}

async function memoryUnderLoad(): Promise<BenchRow[]> {
  const serve = await startServe();
  const resident = () => residentBytes(serve.pid);
  try {
    const hoard = 'from platform_sdk import send_output\nhoard = bytearray(64 * 2**20)\nsend_output("ok")';
    await runOver(serve.client, hoard, '');
    const before = resident();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, resident())), 50);
    const results = await Promise.all(Array.from({ length: 40 }, () => runOver(serve.client, hoard, ''))).finally(() => clearInterval(sampler));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const after = resident();
    const note = `40 concurrent runs of 64 MiB each, default pool of 2; ${results.filter((r) => r.ok).length} ok`;
    return [
      row('server resident memory before', before / MiB, 'MiB', undefined, note),
      row('server resident memory, peak', peak / MiB, 'MiB', ['≤ before + 768 MiB', peak - before <= 768 * MiB], note),
      row('server resident memory 2 s after', after / MiB, 'MiB', ['≤ before + 128 MiB', after - before <= 128 * MiB], note),
    ];
  } finally {
    await serve.stop();
  }
}
