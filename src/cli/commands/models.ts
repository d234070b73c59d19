import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { normalizeModelName } from '../../ai/requests.ts';
import type { ModelHealth, ModelInfo } from '../../shared/api/schemas/system.ts';
import { withApi } from '../context.ts';
import { withInterrupt } from '../interrupt.ts';
import { runAction } from '../output.ts';
import { table } from '../terminal.ts';

/** A row of `wasmforge models`; installed and loaded are null when Ollama cannot be asked. */
export type ModelRow = Omit<ModelInfo, 'installed' | 'loaded'> & { installed: boolean | null; loaded?: boolean | null };

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('Show the approved, installed and loaded models; pull or remove one')
    .option('--json', 'print the rows as JSON')
    .action((options: { json?: boolean }) => runAction(() => listModels(options.json === true)));
  models
    .command('pull')
    .description('Download a model into Ollama, with a progress bar (Ctrl-C cancels)')
    .argument('<name>', 'model name, e.g. qwen2.5:1.5b')
    .action((name: string) => runAction(() => pullModel(name)));
  models
    .command('rm')
    .description('Delete a model from Ollama')
    .argument('<name>', 'model name')
    .action((name: string) => runAction(() => withApi({}, async (client) => {
      await client.call('models.delete', { name });
      process.stdout.write(`deleted ${name}\n`);
    })));
}

/** With Ollama down, the approved models are still listed (installed: unknown), the reason follows, and the exit code is 1. */
async function listModels(json: boolean): Promise<number> {
  return withApi({}, async (client) => {
    const [health, models] = await Promise.all([client.call('models.health', {}), client.call('models.list', {})]);
    const rows: ModelRow[] = health.reachable ? models : models.map((model) => ({ ...model, installed: null, loaded: null }));
    if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else process.stdout.write(`${formatTable(rows)}${health.reachable ? `Ollama at ${health.host}\n` : ''}`);
    if (health.reachable) return 0;
    process.stderr.write(`error AI_UNAVAILABLE: ${unreachable(health)}\n`);
    return 1;
  });
}

function unreachable(health: ModelHealth): string {
  return `Ollama is not reachable${health.host ? ` at ${health.host}` : ''}, so which models are installed is unknown: ${health.reason ?? 'no answer'}`;
}

export function formatTable(rows: ModelRow[]): string {
  const mark = (value: boolean | null | undefined) => (value === null ? '?' : value ? 'yes' : '-');
  return table(['MODEL', 'APPROVED', 'INSTALLED', 'LOADED', 'SIZE', 'FAMILY', 'PARAMS', 'QUANT'], rows.map((row) => [
    row.name, mark(row.approved), mark(row.installed), mark(row.loaded),
    row.sizeBytes !== undefined ? formatSize(row.sizeBytes) : '', row.family ?? '', row.parameterSize ?? '', row.quantization ?? '',
  ]));
}

async function pullModel(name: string): Promise<number> {
  const bar = new cliProgress.SingleBar({
    format: '{status} [{bar}] {percentage}% {done}/{size}',
    hideCursor: true,
    stream: process.stderr,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  try {
    return await withInterrupt((signal) => withApi({}, async (client) => {
      const pulled = await client.stream('models.pull', { name }, {
        signal,
        onEvent: (progress) => {
          const payload = { status: progress.status.slice(0, 28).padEnd(28), done: formatSize(progress.completedBytes), size: formatSize(progress.totalBytes) };
          if (!started) bar.start(Math.max(progress.totalBytes, 1), progress.completedBytes, payload);
          started = true;
          bar.setTotal(Math.max(progress.totalBytes, 1));
          bar.update(progress.completedBytes, payload);
        },
      });
      bar.stop();
      if (pulled.status === 'cancelled') {
        process.stderr.write(`error CANCELLED: the pull of ${name} was cancelled; Ollama keeps what it downloaded for next time\n`);
        return 1;
      }
      process.stdout.write(`pulled ${name}\n`);
      const approved = (await client.call('models.list', {})).some((model) => model.approved && model.name === normalizeModelName(name));
      if (!approved) process.stderr.write(`note: ${name} is not approved; plugins can call it once it is on the allow-list (Settings › Models)\n`);
      return 0;
    }));
  } finally {
    bar.stop();
  }
}

export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes} B`;
}
