import { Command } from 'commander';
import { OllamaCatalog } from '../../ai/ollama-catalog.ts';
import { resolveOllamaConnection } from '../../ai/ollama-connection.ts';
import { checkOllamaHealth, type OllamaHealth } from '../../ai/ollama-health.ts';
import { normalizeModelName } from '../../ai/requests.ts';
import { resolveDataHome } from '../../library/home.ts';
import { loadSettings, type Settings } from '../../library/settings.ts';
import { marketplaceHealth } from '../../marketplace/health.ts';
import { SandboxRuntime } from '../../sandbox/index.ts';
import { toErrorInfo } from '../../shared/errors.ts';

export interface DoctorLine {
  check: 'ollama' | 'models' | 'engine' | 'database';
  ok: boolean;
  /** Optional parts (WasmEdge, the shared marketplace) never fail the doctor. */
  optional?: boolean;
  detail: string;
  fix?: string;
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description('Check Ollama, the models, the sandbox engines and the marketplace database, with the fix for each problem')
    .option('--json', 'print the checks as JSON')
    .action(async (options: { json?: boolean }) => {
      const settings = await loadSettings(resolveDataHome());
      const lines = await runDoctor(settings);
      if (options.json) process.stdout.write(`${JSON.stringify(lines)}\n`);
      else process.stdout.write(`${lines.map(formatLine).join('\n')}\n`);
      process.exitCode = lines.every((line) => line.ok || line.optional) ? 0 : 1;
    });
}

export async function runDoctor(settings: Settings): Promise<DoctorLine[]> {
  const connection = resolveOllamaConnection(settings);
  const health = await checkOllamaHealth(connection);
  const [models, engines, database] = await Promise.all([
    modelsLine(settings, health),
    engineLines(settings),
    databaseLine(),
  ]);
  return [ollamaLine(health), models, ...engines, database];
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

async function modelsLine(settings: Settings, health: OllamaHealth): Promise<DoctorLine> {
  if (!health.reachable) return { check: 'models', ok: false, detail: 'unknown: Ollama is not reachable', fix: 'Fix Ollama first (above)' };
  try {
    const installed = new Set((await new OllamaCatalog(resolveOllamaConnection(settings)).installed()).map((m) => normalizeModelName(m.name)));
    const approved = settings.ollama.allowList.map(normalizeModelName);
    const ready = approved.filter((name) => installed.has(name));
    const missing = approved.filter((name) => !installed.has(name));
    if (ready.length === 0) {
      const first = missing[0];
      return { check: 'models', ok: false, detail: `none of the ${approved.length} approved models is installed`, fix: first ? `wasmforge models pull ${first}` : 'Approve a model in Settings › Models' };
    }
    const detail = `${ready.length} of ${approved.length} approved models installed (${ready.join(', ')})`;
    return missing.length ? { check: 'models', ok: true, detail, fix: `optional: wasmforge models pull ${missing.join(' / ')}` } : { check: 'models', ok: true, detail };
  } catch (error) {
    return { check: 'models', ok: false, detail: `could not list models: ${toErrorInfo(error).message}` };
  }
}

async function engineLines(settings: Settings): Promise<DoctorLine[]> {
  const runtime = new SandboxRuntime({ warmPoolSize: 0, dataHome: resolveDataHome() });
  try {
    const status = await runtime.engineStatus();
    return (['embedded', 'wasmedge'] as const).map((name): DoctorLine => {
      const engine = status[name];
      const optional = name !== settings.sandbox.engine;
      if (engine.available) return { check: 'engine', ok: true, optional, detail: `${name}: ready${engine.version ? ` (${engine.version})` : ''}${optional ? '' : ', the default'}` };
      const fix = name === 'wasmedge' ? 'optional: install WasmEdge, or set WASMFORGE_WASMEDGE to its binary' : 'Reinstall (npm ci) so that python.wasm is copied into resources/';
      return { check: 'engine', ok: false, optional, detail: `${name}: not available: ${engine.reason}`, fix };
    });
  } catch (error) {
    return [{ check: 'engine', ok: false, detail: `could not check the engines: ${toErrorInfo(error).message}` }];
  } finally {
    await runtime.close();
  }
}

async function databaseLine(): Promise<DoctorLine> {
  try {
    const health = await marketplaceHealth();
    // A local-only library is a valid setup: only a shared marketplace that fails is a problem.
    return { check: 'database', ok: health.ok, optional: health.mode === 'local', detail: health.summary, ...(health.fix ? { fix: health.fix } : {}) };
  } catch (error) {
    return { check: 'database', ok: false, detail: `could not check the marketplace: ${toErrorInfo(error).message}` };
  }
}
