import { performance } from 'node:perf_hooks';
import { resolveDataHome } from '../../src/library/home.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { findSandboxResources } from '../../src/sandbox/resources.ts';
import { discoverWasmEdge } from '../../src/sandbox/wasmedge/binary.ts';
import { WasmEdgeEngine } from '../../src/sandbox/wasmedge/engine.ts';
import type { BenchRow } from '../types.ts';

// WasmEdge as a baseline beside the embedded engine. Interpreter mode by default; with
// WASMFORGE_BENCH_WASMEDGE_AOT=1 the suite measures native code, compiling python.wasm first when
// the data folder has no cached module for this WasmEdge version (minutes, ~2 GB of memory).
const SUITE = 'wasmedge';
const HELLO = 'from platform_sdk import send_output\nsend_output("hello")';
const CPU_BOUND = 'from platform_sdk import send_output\ntotal = 0\nfor i in range(300_000):\n    total += i * i % 7\nsend_output(total)';
const WARM_RUNS = Number(process.env.WASMFORGE_BENCH_WASMEDGE_RUNS ?? 20);

export async function run(): Promise<BenchRow[]> {
  const resources = findSandboxResources();
  const discovery = await discoverWasmEdge({ wasmedgeDir: resources.wasmedgeDir });
  if (!discovery.found) {
    return [{ suite: SUITE, metric: 'hello p50', value: Number.NaN, unit: 'ms', note: `wasmedge not present: ${discovery.reason}` }];
  }
  const dataHome = resolveDataHome();
  const wantAot = process.env.WASMFORGE_BENCH_WASMEDGE_AOT === '1';
  if (wantAot) await waitForAot(resources, dataHome);

  const cold = await measureCold(resources, dataHome, wantAot);
  const engine = new WasmEdgeEngine({ resources, dataHome, aot: wantAot, warmPoolSize: 2 });
  const runtime = new SandboxRuntime({ engines: { wasmedge: engine }, defaultEngine: 'wasmedge', resources, dataHome });
  try {
    runtime.prewarm();
    const mode = modeOf(await engine.status());
    const note = `${discovery.binary.version}, ${mode}`;
    // A warm run is one that finds a started guest: give the pool the cold start-up time to refill.
    const refillMs = Math.ceil(cold * 1.5) + 200;
    const hello = await timeRuns(runtime, HELLO, WARM_RUNS, refillMs);
    const cpu = await timeRuns(runtime, CPU_BOUND, 1, refillMs);
    return [
      { suite: SUITE, metric: 'cold first run', value: cold, unit: 'ms', note },
      { suite: SUITE, metric: 'hello p50 (warm)', value: percentile(hello, 50), unit: 'ms', note: `${note}, ${hello.length} runs, pool of 2` },
      { suite: SUITE, metric: 'hello p99 (warm)', value: percentile(hello, 99), unit: 'ms', note },
      { suite: SUITE, metric: 'CPU-bound (300k-iteration loop)', value: cpu[0]!, unit: 'ms', note },
    ];
  } finally {
    await runtime.close();
  }
}

async function measureCold(resources: ReturnType<typeof findSandboxResources>, dataHome: string, aot: boolean): Promise<number> {
  const engine = new WasmEdgeEngine({ resources, dataHome, aot, warmPoolSize: 0 });
  const runtime = new SandboxRuntime({ engines: { wasmedge: engine }, defaultEngine: 'wasmedge', resources, dataHome });
  try {
    return (await timeRuns(runtime, HELLO, 1))[0]!;
  } finally {
    await runtime.close();
  }
}

async function timeRuns(runtime: SandboxRuntime, code: string, count: number, pauseMs = 0): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const started = performance.now();
    const result = await runtime.run({ code });
    if (!result.ok) throw new Error(`WasmEdge bench run failed: ${result.error?.code} ${result.error?.message}`);
    times.push(performance.now() - started);
  }
  return times;
}

/** Starts the engine's background compile and waits for it, reporting progress on stderr. */
async function waitForAot(resources: ReturnType<typeof findSandboxResources>, dataHome: string): Promise<void> {
  const engine = new WasmEdgeEngine({ resources, dataHome, warmPoolSize: 0 });
  const runtime = new SandboxRuntime({ engines: { wasmedge: engine }, defaultEngine: 'wasmedge', resources, dataHome });
  try {
    await runtime.run({ code: HELLO });
    for (;;) {
      const mode = modeOf(await engine.status());
      if (mode.startsWith('AOT') || mode.includes('failed')) return;
      console.error(`… wasmedge: ${mode}`);
      await new Promise((resolve) => setTimeout(resolve, 15_000));
    }
  } finally {
    await runtime.close();
  }
}

function modeOf(status: Awaited<ReturnType<WasmEdgeEngine['status']>>): string {
  if (!status.available) return 'unavailable';
  return status.detail?.split('; ').slice(1).join('; ') ?? 'unknown mode';
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
