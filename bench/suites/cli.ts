import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser } from '../../e2e/helpers/browser.ts';
import { serveApp } from '../../e2e/helpers/serve.ts';
import { buildCliIfStale } from '../../scripts/build-cli.js';
import { createHttpClient } from '../../src/shared/api/http-client.ts';
import { CLI_BIN } from '../../test/support/cli.ts';
import { median } from '../stats.ts';
import type { BenchRow } from '../types.ts';
import { HELLO } from '../sandbox/plugins.ts';
import { writeTestedPlugin } from '../tests-fixture.ts';
import { runInNewProcess } from '../sandbox/process-baseline.ts';

// Issue #16: the CLI's start-up as a user sees it (whole processes, spawn to exit), side by side
// with what the issue compares it to, all measured in turn round after round so a busy machine
// weighs on every row alike; and how soon a fresh data folder's first screen settles.
const SUITE = 'cli';
const ROUNDS = 15;
const FRESH_FOLDERS = 3;
const TEST_CASES = 10;
const row = (metric: string, value: number, unit: string, target?: [string, boolean], note?: string): BenchRow =>
  ({ suite: SUITE, metric, value: Math.round(value * 10) / 10, unit, ...(target ? { target: target[0], pass: target[1] } : {}), ...(note ? { note } : {}) });

export async function run(): Promise<BenchRow[]> {
  await buildCliIfStale();
  const home = await mkdtemp(join(tmpdir(), 'wf-bench-cli-'));
  try {
    const plugin = join(home, 'hello.py');
    await writeFile(plugin, HELLO);
    const env = { ...process.env, WASMFORGE_HOME: join(home, 'data') };
    const tested = join(home, 'tested');
    const { recording } = await writeTestedPlugin(tested, TEST_CASES);
    let freshHomes = 0;
    const probes: Record<string, () => Promise<number>> = {
      python: () => wholeProcess('python3', ['-c', 'pass']),
      node: () => wholeProcess(process.execPath, ['-e', '0']),
      help: () => wholeProcess(process.execPath, [CLI_BIN, '--help'], env),
      run: () => wholeProcess(process.execPath, [CLI_BIN, 'run', plugin, '--input', 'x'], env),
      // The same in a data folder never used: no memory image saved yet, so the sandbox starts CPython and saves one.
      firstRun: () => wholeProcess(process.execPath, [CLI_BIN, 'run', plugin, '--input', 'x'], { ...env, WASMFORGE_HOME: join(home, `fresh-${++freshHomes}`) }),
      baseline: () => runInNewProcess(HELLO, 'x'),
      // Issue #16: the plugin's cases in parallel against one replayed run of the same plugin.
      replayed: () => wholeProcess(process.execPath, [CLI_BIN, 'run', tested, '--input', 'report number 0', '--replay', recording], env),
      tests: () => wholeProcess(process.execPath, [CLI_BIN, 'test', tested], env),
    };
    const times = await roundRobin(probes);
    const [python, node, help, hello] = [median(times.python!), median(times.node!), median(times.help!), median(times.run!)];
    const [replayed, tests] = [median(times.replayed!), median(times.tests!)];
    const settle = await freshFolderSettles();
    const verdict = await freshFolderFirstVerdict();
    return [
      row('native python3 start-up (python3 -c pass)', python, 'ms', undefined, `median of ${ROUNDS}`),
      row('node -e 0', node, 'ms', undefined, `median of ${ROUNDS}`),
      row('wasmforge --help, whole process', help, 'ms', ['≤ 4× node -e 0', help <= 4 * node], `${(help / node).toFixed(1)}× node -e 0`),
      row('wasmforge run hello.py, whole process', hello, 'ms', ['≤ 6× python3 start-up', hello <= 6 * python],
        `${(hello / python).toFixed(1)}× python3; resumes the memory image an earlier run saved in the data folder`),
      row('wasmforge run hello.py in a data folder never used, whole process', median(times.firstRun!), 'ms', undefined,
        `${(median(times.firstRun!) / python).toFixed(1)}× python3; starts CPython and saves its memory image`),
      row('baseline, new process per run: hello', median(times.baseline!), 'ms', undefined, 'node + WASI, no SDK warm pool'),
      row('wasmforge run <plugin> --replay, whole process', replayed, 'ms', undefined, `one call_ai answered from a recording, median of ${ROUNDS}`),
      row(`wasmforge test, ${TEST_CASES} replayed cases, whole process`, tests, 'ms', ['≤ 2.5× one replayed run', tests <= 2.5 * replayed],
        `${(tests / replayed).toFixed(2)}× one run; cases in parallel on ${availableParallelism()} cores`),
      row('fresh data folder: navigation → both badges settled', median(settle.page), 'ms', ['≤ 1 s', median(settle.page) <= 1000],
        `real Chromium against wasmforge serve, median of ${FRESH_FOLDERS} fresh folders, the page's clock; seen by the harness's polling: ${Math.round(median(settle.harness))} ms`),
      row('fresh data folder: serve started → first connections verdict over HTTP', median(verdict), 'ms', undefined,
        `events.watch as soon as serve prints its URL, median of ${FRESH_FOLDERS}: the backend's share of the row above`),
    ];
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Each probe once per round, in turn, for ROUNDS rounds (after one round to warm the disk cache). */
async function roundRobin(probes: Record<string, () => Promise<number>>): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(probes).map((name) => [name, []]));
  for (let round = -1; round < ROUNDS; round++) {
    for (const [name, probe] of Object.entries(probes)) {
      const ms = await probe();
      if (round >= 0) times[name]!.push(ms);
    }
  }
  return times;
}

/** Spawn to exit, in milliseconds; a failing command is an error, not a figure. */
function wholeProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/**
 * A server on a data folder never used, and a browser opening it: from navigation until neither
 * badge says "checking…" (the fake Ollama answers; the marketplace is the local one, not created yet).
 * Timed by the page's own clock (navigation start to the DOM change, seen by a MutationObserver):
 * the harness's polling of the page adds 100–200 ms on two busy cores that no user waits for, so
 * that figure is kept beside it.
 */
async function freshFolderSettles(): Promise<{ page: number[]; harness: number[] }> {
  const times = { page: [] as number[], harness: [] as number[] };
  for (let i = 0; i < FRESH_FOLDERS; i++) {
    const app = await serveApp();
    const browser = await openBrowser();
    try {
      await browser.page.addInitScript(WATCH_BADGES);
      const started = performance.now();
      await browser.page.goto(app.signInUrl);
      for (const id of ['ollama', 'marketplace']) {
        await browser.page.locator(`[data-testid="badge-${id}"]:not(.tone-busy)`).first().waitFor({ timeout: 30_000 });
      }
      times.harness.push(performance.now() - started);
      times.page.push(await browser.page.evaluate('window.badgesSettledAt'));
    } finally {
      await browser.close();
      await app.stop();
    }
  }
  return times;
}

/** Runs in the page before its own scripts: notes when both badges first show a verdict. */
const WATCH_BADGES = `new MutationObserver((_, observer) => {
  const badges = [...document.querySelectorAll('[data-testid="badge-ollama"], [data-testid="badge-marketplace"]')];
  if (badges.length >= 2 && badges.every((badge) => !badge.classList.contains('tone-busy'))) {
    window.badgesSettledAt = performance.now();
    observer.disconnect();
  }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });`;

/** The backend alone: from `serve` printing its URL on a fresh folder to the first connections.changed on events.watch. */
async function freshFolderFirstVerdict(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < FRESH_FOLDERS; i++) {
    const app = await serveApp({ buildUi: false });
    const client = createHttpClient({ baseUrl: app.url, token: app.token });
    const watching = new AbortController();
    try {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        client.stream('events.watch', {}, {
          signal: watching.signal,
          onEvent: (event) => event.type === 'connections.changed' && resolve(),
        }).catch(reject);
      });
      times.push(performance.now() - started);
    } finally {
      watching.abort();
      await app.stop();
    }
  }
  return times;
}
