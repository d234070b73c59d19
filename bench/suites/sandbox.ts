import { execFileSync } from 'node:child_process';
import { AiBroker } from '../../src/ai/broker.ts';
import { TestAiProvider } from '../../src/ai/test-provider.ts';
import { EmbeddedEngine } from '../../src/sandbox/embedded/engine.ts';
import { encodeJob } from '../../src/sandbox/guest-code.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { DEFAULT_LIMITS, memoryPages } from '../../src/sandbox/limits.ts';
import { encodeFrame } from '../../src/sandbox/protocol.ts';
import { findSandboxResources } from '../../src/sandbox/resources.ts';
import { median, percentile, timed } from '../stats.ts';
import type { BenchRow } from '../types.ts';
import { AI_CALLS, CPU_BOUND, HELLO, LOCAL_CALLS } from '../sandbox/plugins.ts';
import { runInNewProcess } from '../sandbox/process-baseline.ts';
import { best, nativeTimings, PURE_PYTHON_PLUGIN, slowdown, WORKLOADS, type Timings } from '../sandbox/pure-python.ts';

const SUITE = 'sandbox';
const THROUGHPUT_SECONDS = 20;
const row = (metric: string, value: number, unit: string, target?: [string, boolean], note?: string): BenchRow =>
  ({ suite: SUITE, metric, value, unit, ...(target ? { target: target[0], pass: target[1] } : {}), ...(note ? { note } : {}) });

export async function run(): Promise<BenchRow[]> {
  const engine = new EmbeddedEngine({ resources: findSandboxResources(), poolSize: 2 });
  const broker = new AiBroker({ provider: new TestAiProvider() });
  const runtime = new SandboxRuntime({ engines: { embedded: engine }, broker, limits: { aiCalls: 1000 } });
  try {
    await runtime.whenWarm();
    for (let i = 0; i < 20; i++) await runtime.run({ code: HELLO, input: 'warm-up' }); // let V8 tier up
    return [
      ...(await warmLatency(runtime)),
      ...(await backToBackLatency(runtime)),
      await throughput(runtime),
      await cpuBound(runtime),
      await bridgeOverhead(runtime),
      await cancelLatency(engine),
      ...(await pythonSpeed(runtime)),
      ...freshProcessFigures(),
      ...(await processPerRunBaseline()),
    ];
  } finally {
    await runtime.close();
  }
}

/** A run that starts when a warm sandbox is waiting, as in interactive use. */
async function warmLatency(runtime: SandboxRuntime): Promise<BenchRow[]> {
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    await runtime.whenWarm();
    const [ms, result] = await timed(() => runtime.run({ code: HELLO, input: String(i) }));
    if (!result.ok) throw new Error(`hello failed: ${JSON.stringify(result.error)}`);
    times.push(ms);
  }
  return [
    row('hello-world, warm: p50', median(times), 'ms', ['≤ 15 ms', median(times) <= 15], '200 runs'),
    row('hello-world, warm: p99', percentile(times, 99), 'ms', ['≤ 50 ms', percentile(times, 99) <= 50], '200 runs'),
  ];
}

/** Runs fired one after another without pause: the pool's re-warming shows here. */
async function backToBackLatency(runtime: SandboxRuntime): Promise<BenchRow[]> {
  const times: number[] = [];
  for (let i = 0; i < 100; i++) times.push((await timed(() => runtime.run({ code: HELLO, input: String(i) })))[0]);
  return [
    row('hello-world, back to back: p50', median(times), 'ms', ['≤ 5 ms', median(times) <= 5], '100 runs, no pause'),
    row('hello-world, back to back: p99', percentile(times, 99), 'ms', undefined, '100 runs, no pause'),
  ];
}

async function throughput(runtime: SandboxRuntime): Promise<BenchRow> {
  const deadline = performance.now() + THROUGHPUT_SECONDS * 1000;
  let completed = 0;
  const lane = async () => {
    while (performance.now() < deadline) {
      if ((await runtime.run({ code: HELLO, input: 'x' })).ok) completed++;
    }
  };
  const started = performance.now();
  await Promise.all([lane(), lane()]);
  const perSecond = completed / ((performance.now() - started) / 1000);
  return row('sustained throughput, concurrency 2', perSecond, 'runs/s', ['≥ 200 runs/s', perSecond >= 200], `${THROUGHPUT_SECONDS} s, a fresh instance each`);
}

async function cpuBound(runtime: SandboxRuntime): Promise<BenchRow> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    await runtime.whenWarm();
    times.push((await timed(() => runtime.run({ code: CPU_BOUND })))[0]);
  }
  return row('CPU-bound plugin (300k-iteration loop)', median(times), 'ms', undefined, 'median of 5');
}

/** 100 call_ai round trips against a zero-latency provider, minus the same loop calling a local function. */
async function bridgeOverhead(runtime: SandboxRuntime): Promise<BenchRow> {
  const calls = 100;
  const perCall: number[] = [];
  for (let i = 0; i < 7; i++) {
    await runtime.whenWarm();
    const [withAi, result] = await timed(() => runtime.run({ code: AI_CALLS(calls) }));
    if (!result.ok) throw new Error(`AI loop failed: ${JSON.stringify(result.error)}`);
    await runtime.whenWarm();
    const [local] = await timed(() => runtime.run({ code: LOCAL_CALLS(calls) }));
    perCall.push((withAi - local) / calls);
  }
  const overhead = median(perCall);
  return row('call_ai bridge overhead per call', overhead, 'ms', ['≤ 2 ms', overhead <= 2], 'zero-latency provider, 100 calls, median of 7');
}

/** From kill() to the worker thread being gone, with the guest spinning in WebAssembly. */
async function cancelLatency(engine: EmbeddedEngine): Promise<BenchRow> {
  const spec = { memoryPages: memoryPages(DEFAULT_LIMITS), logBytes: 1 << 20, outputBytes: 1 << 20, wallTimeMs: 60_000 };
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    let started!: () => void;
    const spinning = new Promise<void>((resolve) => (started = resolve));
    const guest = await engine.acquire(spec, { onStdout: () => undefined, onStderr: () => started(), onExit: () => undefined });
    guest.write(encodeFrame('run', encodeJob({ mode: 'run', filename: 'plugin.py', input: '', code: 'print("spin", flush=True)\nwhile True: pass' })));
    await spinning;
    const [ms] = await timed(async () => {
      guest.kill();
      await guest.gone;
    });
    times.push(ms);
  }
  const worst = Math.max(...times);
  return row('cancel: kill to sandbox gone (worst of 10)', worst, 'ms', ['≤ 100 ms', worst <= 100]);
}

/**
 * The same pure-Python workloads timed inside python.wasm and the machine's python3. Warm: this
 * long-lived process, after the runs above (V8 has tiered the interpreter up), best of 5. Cold: the
 * first run in a fresh process (freshProcessFigures).
 */
let native: { timings: Timings; version: string } | undefined;

async function pythonSpeed(runtime: SandboxRuntime): Promise<BenchRow[]> {
  native = nativeTimings();
  const runs: Timings[] = [];
  for (let i = 0; i < 5; i++) runs.push(await pureRun(runtime));
  const warm = best(runs);
  return [
    row('native python3: the five workloads', sum(native.timings), 'ms', undefined, `${native.version}, best of 3, ${perWorkload(native.timings)}`),
    speedRow('warm', warm, native.timings),
  ];
}

async function pureRun(runtime: SandboxRuntime): Promise<Timings> {
  const result = await runtime.run({ code: PURE_PYTHON_PLUGIN, limits: { wallTimeMs: 120_000 } });
  if (!result.ok) throw new Error(`pure-Python workloads failed: ${JSON.stringify(result.error)}`);
  return JSON.parse(result.output) as Timings;
}

function speedRow(when: 'warm' | 'cold', sandbox: Timings, reference: Timings): BenchRow {
  const factor = slowdown(sandbox, reference);
  const ratios = WORKLOADS.map((w) => `${w} ${(sandbox[w] / reference[w]).toFixed(1)}×`).join(', ');
  return row(`pure Python, ${when}: python.wasm / native python3 (geometric mean)`, factor, '×', ['≤ 3×', factor <= 3], ratios);
}

const sum = (timings: Timings) => WORKLOADS.reduce((total, w) => total + timings[w], 0);
const perWorkload = (timings: Timings) => WORKLOADS.map((w) => `${w} ${timings[w].toFixed(0)} ms`).join(', ');

interface ChildFigures { firstRunMs: number; processMs: number; baselineRss: number; idleRss: number; peakRss: number; cold: Timings }

function engineChild(poolSize: number): ChildFigures {
  const output = execFileSync(process.execPath, ['--import', 'tsx', new URL('../sandbox/engine-child.ts', import.meta.url).pathname, String(poolSize)], {
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').pop()!) as ChildFigures;
}

function freshProcessFigures(): BenchRow[] {
  const figures = engineChild(2);
  const wide = engineChild(6);
  const perSandbox = (wide.idleRss - figures.idleRss) / 4;
  return [
    speedRow('cold', figures.cold, native!.timings),
    row('resident per ready sandbox', perSandbox, 'MB', ['≤ 15 MB', perSandbox <= 15], 'idle RSS with 6 warm sandboxes minus with 2, over 4'),
    row('cold first run in a fresh process', figures.firstRunMs, 'ms', ['≤ 1 s', figures.firstRunMs <= 1000], 'compile + first sandbox + run'),
    row('cold: whole process until the first result', figures.processMs, 'ms', undefined, 'node + tsx start-up included'),
    row('engine RSS idle (2 warm sandboxes)', figures.idleRss - figures.baselineRss, 'MB', ['≤ 250 MB', figures.idleRss - figures.baselineRss <= 250], 'process RSS minus the same process before the engine'),
    row('process RSS idle, engine included', figures.idleRss, 'MB', undefined, `Node + tsx alone: ${figures.baselineRss.toFixed(0)} MB`),
    row('engine RSS peak', figures.peakRss, 'MB', undefined, '100 runs + one 200 MB allocation'),
  ];
}

async function processPerRunBaseline(): Promise<BenchRow[]> {
  const times: number[] = [];
  for (let i = 0; i < 30; i++) times.push(await runInNewProcess(HELLO, String(i)));
  const deadline = performance.now() + 10_000;
  let completed = 0;
  const lane = async () => {
    while (performance.now() < deadline) {
      await runInNewProcess(HELLO, 'x');
      completed++;
    }
  };
  const started = performance.now();
  await Promise.all([lane(), lane()]);
  const perSecond = completed / ((performance.now() - started) / 1000);
  const cpu: number[] = [];
  for (let i = 0; i < 3; i++) cpu.push(await runInNewProcess(CPU_BOUND));
  return [
    row('baseline, new process per run: hello p50', median(times), 'ms', undefined, 'node + WASI per run, 30 runs'),
    row('baseline, new process per run: hello p99', percentile(times, 99), 'ms', undefined, '30 runs'),
    row('baseline, new process per run: throughput, concurrency 2', perSecond, 'runs/s', undefined, '10 s'),
    row('baseline, new process per run: CPU-bound plugin', median(cpu), 'ms', undefined, 'median of 3'),
  ];
}
