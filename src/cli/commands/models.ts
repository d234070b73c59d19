import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { OllamaCatalog, type InstalledModel, type LoadedModel } from '../../ai/ollama-catalog.ts';
import { displayHost, resolveOllamaConnection } from '../../ai/ollama-connection.ts';
import { normalizeModelName } from '../../ai/requests.ts';
import { resolveDataHome } from '../../library/home.ts';
import { loadSettings, type Settings } from '../../library/settings.ts';
import { toErrorInfo } from '../../shared/errors.ts';

export interface ModelRow {
  name: string;
  approved: boolean;
  installed: boolean;
  loaded: boolean;
  sizeBytes?: number;
  family?: string;
  parameterSize?: string;
  quantization?: string;
}

export function register(program: Command): void {
  const models = program
    .command('models')
    .description('Show the approved, installed and loaded models; pull or remove one')
    .option('--json', 'print the rows as JSON')
    .action(async (options: { json?: boolean }) => {
      process.exitCode = await guard(() => listModels(options.json === true));
    });
  models
    .command('pull')
    .description('Download a model into Ollama, with a progress bar (Ctrl-C cancels)')
    .argument('<name>', 'model name, e.g. qwen2.5:1.5b')
    .action(async (name: string) => {
      process.exitCode = await guard(() => pullModel(name));
    });
  models
    .command('rm')
    .description('Delete a model from Ollama')
    .argument('<name>', 'model name')
    .action(async (name: string) => {
      process.exitCode = await guard(async () => {
        const { catalog } = await catalogFromSettings();
        await catalog.delete(name);
        process.stdout.write(`deleted ${name}\n`);
        return 0;
      });
    });
}

async function catalogFromSettings(): Promise<{ settings: Settings; catalog: OllamaCatalog }> {
  const settings = await loadSettings(resolveDataHome());
  return { settings, catalog: new OllamaCatalog(resolveOllamaConnection(settings)) };
}

async function listModels(json: boolean): Promise<number> {
  const { settings, catalog } = await catalogFromSettings();
  const [installed, loaded] = await Promise.all([catalog.installed(), catalog.loaded()]);
  const rows = modelRows(settings.ollama.allowList, installed, loaded);
  if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else process.stdout.write(`${formatTable(rows)}\nOllama at ${displayHost(catalog.connection.host)}\n`);
  return 0;
}

/** Approved models first (in the settings' order), then the other installed ones. */
export function modelRows(allowList: string[], installed: InstalledModel[], loaded: LoadedModel[]): ModelRow[] {
  const approved = allowList.map(normalizeModelName);
  const byName = new Map(installed.map((model) => [normalizeModelName(model.name), model]));
  const loadedNames = new Set(loaded.map((model) => normalizeModelName(model.name)));
  const names = [...new Set([...approved, ...byName.keys()])];
  return names.map((name) => {
    const model = byName.get(name);
    return {
      name,
      approved: approved.includes(name),
      installed: model !== undefined,
      loaded: loadedNames.has(name),
      ...(model ? { sizeBytes: model.sizeBytes, family: model.family, parameterSize: model.parameterSize, quantization: model.quantization } : {}),
    };
  });
}

export function formatTable(rows: ModelRow[]): string {
  const mark = (value: boolean) => (value ? 'yes' : '-');
  const table = [
    ['MODEL', 'APPROVED', 'INSTALLED', 'LOADED', 'SIZE', 'FAMILY', 'PARAMS', 'QUANT'],
    ...rows.map((row) => [
      row.name, mark(row.approved), mark(row.installed), mark(row.loaded),
      row.sizeBytes !== undefined ? formatSize(row.sizeBytes) : '', row.family ?? '', row.parameterSize ?? '', row.quantization ?? '',
    ]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  return table.map((line) => line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}

async function pullModel(name: string): Promise<number> {
  const { settings, catalog } = await catalogFromSettings();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const bar = new cliProgress.SingleBar({
    format: '{status} [{bar}] {percentage}% {done}/{size}',
    hideCursor: true,
    stream: process.stderr,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  try {
    await catalog.pull(name, {
      signal: controller.signal,
      onProgress: (progress) => {
        const payload = { status: progress.status.slice(0, 28).padEnd(28), done: formatSize(progress.completedBytes), size: formatSize(progress.totalBytes) };
        if (!started) bar.start(Math.max(progress.totalBytes, 1), progress.completedBytes, payload);
        started = true;
        bar.setTotal(Math.max(progress.totalBytes, 1));
        bar.update(progress.completedBytes, payload);
      },
    });
    bar.stop();
    process.stdout.write(`pulled ${name}\n`);
    if (!settings.ollama.allowList.map(normalizeModelName).includes(normalizeModelName(name))) {
      process.stderr.write(`note: ${name} is not approved; plugins can call it once it is on the allow-list (Settings › Models)\n`);
    }
    return 0;
  } finally {
    bar.stop();
    process.off('SIGINT', onSigint);
  }
}

async function guard(work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    const info = toErrorInfo(error);
    process.stderr.write(`error ${info.code}: ${info.message}\n${info.hint ? `hint: ${info.hint}\n` : ''}`);
    return 1;
  }
}

export function formatSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${bytes} B`;
}
