import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import type { ApiClient } from '../../shared/api/types.ts';
import type { AotStatus } from '../../shared/api/schemas/system.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import { ENGINE_NAMES } from '../../shared/run.ts';
import { withApi } from '../context.ts';
import { withInterrupt } from '../interrupt.ts';
import { runAction } from '../output.ts';
import { table } from '../terminal.ts';

export function register(program: Command): void {
  const engines = program
    .command('engines')
    .description("Show the sandbox engines; `engines prepare` compiles WasmEdge's python.wasm to native code now")
    .option('--json', 'print the statuses as JSON')
    .action((options: { json?: boolean }) => runAction(() => showEngines(options.json === true)));
  engines
    .command('prepare')
    .description('Compile python.wasm to native code for WasmEdge (once per WasmEdge version, minutes, ~2 GB of memory), with a progress bar; Ctrl-C leaves it compiling in the background')
    .action(() => runAction(() => prepareWasmEdge()));
}

async function showEngines(json: boolean): Promise<number> {
  return withApi({}, async (client) => {
    const statuses = await client.call('engines.status', {});
    if (json) {
      process.stdout.write(`${JSON.stringify(statuses)}\n`);
      return 0;
    }
    process.stdout.write(table(['ENGINE', 'AVAILABLE', 'VERSION', 'DETAIL'], ENGINE_NAMES.map((name) => {
      const status = statuses[name];
      return status.available
        ? [name, 'yes', status.version ?? '', status.aot?.message ?? status.detail ?? '']
        : [name, 'no', '', status.reason];
    })));
    return 0;
  });
}

/** How often the bar asks where the compile stands. */
const POLL_MS = 1000;

/**
 * Starts the compile through the API (the same detached job a run starts) and follows it with a
 * progress bar until the module is ready. The compile is not this command's: Ctrl-C stops the bar
 * only, and the next run, command or app adopts the result.
 */
async function prepareWasmEdge(): Promise<number> {
  const bar = new cliProgress.SingleBar({
    format: 'compiling python.wasm for WasmEdge [{bar}] {percentage}% {phase} ({seconds} s)',
    hideCursor: true,
    stream: process.stderr,
  }, cliProgress.Presets.shades_classic);
  try {
    return await withInterrupt((signal) => withApi({}, async (client) => {
      const first = await client.call('engines.prepare', { engine: 'wasmedge' });
      if (!first.available) throw new WasmForgeError('ENGINE_UNAVAILABLE', first.reason);
      bar.start(100, 0, { phase: 'starting', seconds: 0 });
      const last = await follow(client, signal, (aot) => {
        bar.update(aot.percent ?? 0, { phase: aot.phase ?? '', seconds: aot.since ? Math.round((Date.now() - aot.since) / 1000) : 0 });
      });
      bar.stop();
      return report(last, signal.aborted);
    }));
  } finally {
    bar.stop();
  }
}

async function follow(client: ApiClient, signal: AbortSignal, onProgress: (aot: AotStatus) => void): Promise<AotStatus | undefined> {
  for (;;) {
    const status = (await client.call('engines.status', {})).wasmedge;
    const aot = status.available ? status.aot : undefined;
    if (!aot || aot.state !== 'compiling') return aot;
    onProgress(aot);
    if (signal.aborted) return aot;
    await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
  }
}

function report(aot: AotStatus | undefined, interrupted: boolean): number {
  if (interrupted) {
    process.stderr.write('The compile goes on in the background; `wasmforge doctor` shows where it stands, and runs use it once it is ready.\n');
    return 130;
  }
  if (aot?.state === 'ready') {
    process.stdout.write(`WasmEdge runs python.wasm as native code: ${aot.message}\n`);
    return 0;
  }
  process.stderr.write(`error ENGINE_UNAVAILABLE: ${aot?.message ?? 'WasmEdge did not report its AOT state'}\n`);
  return 1;
}
