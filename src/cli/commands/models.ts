import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { normalizeModelName } from '../../ai/requests.ts';
import type { ModelHealth, ModelInfo } from '../../shared/api/schemas/system.ts';
import { withApi } from '../context.ts';
import { withInterrupt } from '../interrupt.ts';
import { runAction } from '../output.ts';
import { formatBytes } from '../../shared/units.ts';
import { printable, table } from '../terminal.ts';

/** A row of `wasmforge models`; installed and loaded are null when Ollama cannot be asked. */
export type ModelRow = Omit<ModelInfo, 'installed' | 'loaded'> & { installed: boolean | null; loaded?: boolean | null };

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('Show the approved, installed and loaded models; approve, revoke, pull or remove one')
    .option('--json', 'print the rows as JSON')
    .action((options: { json?: boolean }) => runAction(() => listModels(options.json === true)));
  models
    .command('pull')
    .description('Download a model into Ollama, with a progress bar (Ctrl-C cancels)')
    .argument('<name>', 'model name, e.g. qwen2.5:1.5b')
    .action((name: string) => runAction(() => pullModel(name)));
  models
    .command('approve')
    .description('Put a model on the allow-list: plugins may call it (as the Models screen\'s toggle does)')
    .argument('<model>', 'model name, e.g. llama3 or qwen2.5:1.5b')
    .addHelpText('after', '\nExamples:\n  wasmforge models approve llama3\n  wasmforge models revoke llava:latest')
    .action((name: string) => runAction(() => setApproved(name, true)));
  models
    .command('revoke')
    .description('Take a model off the allow-list: plugins calling it are refused (MODEL_NOT_ALLOWED)')
    .argument('<model>', 'model name')
    .action((name: string) => runAction(() => setApproved(name, false)));
  models
    .command('rm')
    .description('Delete a model from Ollama')
    .argument('<name>', 'model name')
    .action((name: string) => runAction(() => withApi({}, async (client) => {
      await client.call('models.delete', { name });
      process.stdout.write(`deleted ${name}\n`);
    })));
}

/**
 * Approves or revokes through the same route as the app; prints the allow-list after the change, or
 * says that nothing changed (a model approved already, by any spelling of its name, or not approved).
 */
async function setApproved(name: string, approved: boolean): Promise<void> {
  await withApi({}, async (client) => {
    const before = (await client.call('settings.get', {})).ollama.allowList;
    const unchanged = before.some((model) => normalizeModelName(model) === normalizeModelName(name)) === approved;
    const allowList = unchanged ? before : await client.call('models.approve', { name, approved });
    const what = unchanged ? `${printable(name)} was ${approved ? 'already' : 'not'} approved` : `${approved ? 'approved' : 'revoked'} ${printable(name)}`;
    process.stdout.write(`${what}; the allow-list: ${allowList.map((model) => printable(model)).join(', ') || 'empty'}\n`);
  });
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
      if (!approved) process.stderr.write(`note: ${name} is not approved; plugins can call it once it is approved: \`wasmforge models approve ${name}\` or the Models screen\n`);
      return 0;
    }));
  } finally {
    bar.stop();
  }
}

/** The app's own size format (src/shared/units.ts): one unit system, KiB/MiB/GiB, in the CLI and the UI. */
export function formatSize(bytes: number): string {
  return formatBytes(bytes);
}
