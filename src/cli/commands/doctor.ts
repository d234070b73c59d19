import { Command } from 'commander';
import { resolveOllamaConnection } from '../../ai/ollama-connection.ts';
import { checkOllamaHealth, type OllamaHealth } from '../../ai/ollama-health.ts';
import type { Settings } from '../../library/settings.ts';
import { logFiles, logsFolder } from '../../log/log.ts';
import { errorInfoOf } from '../../shared/api/api-error.ts';
import type { AotStatus } from '../../shared/api/schemas/system.ts';
import type { ApiClient } from '../../shared/api/types.ts';
import { withApi } from '../context.ts';
import { argument, runAction } from '../output.ts';
import { assertDatabaseUrl } from '../../app/handlers/settings.ts';

export interface DoctorLine {
  check: 'ollama' | 'models' | 'engine' | 'database' | 'logs';
  ok: boolean;
  /** Optional parts (WasmEdge, the shared marketplace) never fail the doctor. */
  optional?: boolean;
  detail: string;
  fix?: string;
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description('Check Ollama, the models, the sandbox engines and the marketplace database, with the fix for each problem; name the newest log file')
    .option('--json', 'print the checks as JSON')
    .option('--url <databaseUrl>', 'check this marketplace database instead of the configured one (the settings stay as they are)')
    .action((options: { json?: boolean; url?: string }) => runAction(async () => {
      // A URL that does not parse is the caller's mistake (exit 2), not a database that is down.
      if (options.url !== undefined) argument(() => assertDatabaseUrl(options.url!));
      const lines = await withApi({ databaseUrl: options.url }, async (client, api) => runDoctor(client, await api.context.settings()));
      if (options.json) process.stdout.write(`${JSON.stringify(lines)}\n`);
      else process.stdout.write(`${lines.map(formatLine).join('\n')}\n`);
      return lines.every((line) => line.ok || line.optional) ? 0 : 1;
    }));
}

/**
 * Ollama is asked directly, for the diagnosis the API folds into one sentence (which setting chose
 * the host, and the fix apart); the models, engines and database are the API's own answers.
 */
export async function runDoctor(client: ApiClient, settings: Settings): Promise<DoctorLine[]> {
  const health = await checkOllamaHealth(resolveOllamaConnection(settings));
  const [models, engines, database, logs] = await Promise.all([
    modelsLine(client, health),
    engineLines(client, settings),
    databaseLine(client),
    logsLine(client),
  ]);
  return [ollamaLine(health), models, ...engines, database, logs];
}

export function formatLine(line: DoctorLine): string {
  const mark = line.ok ? '✓' : line.optional ? '·' : '✗';
  return `${mark} ${line.check.padEnd(8)} ${line.detail}${line.fix ? `\n  fix: ${line.fix}` : ''}`;
}

function ollamaLine(health: OllamaHealth): DoctorLine {
  const from = health.source === 'default' ? '' : ` (from ${health.source === 'settings' ? 'settings' : 'OLLAMA_HOST'})`;
  if (health.reachable) {
    return { check: 'ollama', ok: true, detail: `Ollama ${health.version} at ${health.host}${from}, ${Math.round(health.latencyMs ?? 0)} ms` };
  }
  return { check: 'ollama', ok: false, detail: `not reachable at ${health.host}${from}: ${health.reason}`, fix: health.hint };
}

async function modelsLine(client: ApiClient, health: OllamaHealth): Promise<DoctorLine> {
  if (!health.reachable) return { check: 'models', ok: false, detail: 'unknown: Ollama is not reachable', fix: 'Fix Ollama first (above)' };
  try {
    const approved = (await client.call('models.list', {})).filter((model) => model.approved);
    const ready = approved.filter((model) => model.installed).map((model) => model.name);
    const missing = approved.filter((model) => !model.installed).map((model) => model.name);
    if (ready.length === 0) {
      const first = missing[0];
      return { check: 'models', ok: false, detail: `none of the ${approved.length} approved models is installed`, fix: first ? `wasmforge models pull ${first}` : 'Approve a model in Settings › Models' };
    }
    const detail = `${ready.length} of ${approved.length} approved models installed (${ready.join(', ')})`;
    return missing.length ? { check: 'models', ok: true, detail, fix: `optional: wasmforge models pull ${missing.join(' / ')}` } : { check: 'models', ok: true, detail };
  } catch (error) {
    return { check: 'models', ok: false, detail: `could not list models: ${errorInfoOf(error).message}` };
  }
}

async function engineLines(client: ApiClient, settings: Settings): Promise<DoctorLine[]> {
  try {
    const status = await client.call('engines.status', {});
    return (['embedded', 'wasmedge'] as const).map((name): DoctorLine => {
      const engine = status[name];
      const optional = name !== settings.sandbox.engine;
      if (engine.available) return availableEngineLine(name, engine, optional);
      const fix = name === 'wasmedge' ? 'optional: install WasmEdge, or set WASMFORGE_WASMEDGE to its binary' : 'Reinstall (npm ci) so that python.wasm is copied into resources/';
      return { check: 'engine', ok: false, optional, detail: `${name}: not available: ${engine.reason}`, fix };
    });
  } catch (error) {
    return [{ check: 'engine', ok: false, detail: `could not check the engines: ${errorInfoOf(error).message}` }];
  }
}

/** WasmEdge says where its native-code compile stands: runs are interpreted (~10× slower) until it is ready. */
function availableEngineLine(name: string, engine: { version?: string; aot?: AotStatus }, optional: boolean): DoctorLine {
  const detail = `${name}: ready${engine.version ? ` (${engine.version})` : ''}${optional ? '' : ', the default'}`;
  const aot = engine.aot;
  if (!aot || aot.state === 'off') return { check: 'engine', ok: true, optional, detail };
  const line: DoctorLine = { check: 'engine', ok: true, optional, detail: `${detail}; ${aot.message}` };
  if (aot.state === 'absent' || aot.state === 'failed') line.fix = 'optional: wasmforge engines prepare (compiles python.wasm to native code once, with a progress bar)';
  return line;
}

async function databaseLine(client: ApiClient): Promise<DoctorLine> {
  try {
    const status = await client.call('market.status', {});
    // A local-only library is a valid setup: only a shared marketplace that fails is a problem.
    const ok = status.reachable && status.schema === 'current';
    return { check: 'database', ok, optional: status.mode === 'local', detail: status.summary, ...(status.fix ? { fix: status.fix } : {}) };
  } catch (error) {
    return { check: 'database', ok: false, detail: `could not check the marketplace: ${errorInfoOf(error).message}` };
  }
}

/** Where to look when something went wrong: the newest log file of this data folder (`wasmforge serve` and the desktop app write them). */
async function logsLine(client: ApiClient): Promise<DoctorLine> {
  try {
    const home = (await client.call('app.info', {})).dataHome;
    const files = await logFiles(home);
    const newest = files[0];
    if (!newest) return { check: 'logs', ok: false, optional: true, detail: `no log yet; \`wasmforge serve\` and the desktop app write them to ${logsFolder(home)}` };
    return { check: 'logs', ok: true, detail: `${newest.file} (newest of ${files.length} in ${logsFolder(home)})` };
  } catch (error) {
    return { check: 'logs', ok: false, optional: true, detail: `could not look for logs: ${errorInfoOf(error).message}` };
  }
}
