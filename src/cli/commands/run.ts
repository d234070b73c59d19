import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { writeFileAtomic } from '../../library/atomic-write.ts';
import { errorInfoOf } from '../../shared/api/api-error.ts';
import type { RunStreamEvent } from '../../shared/api/routes.ts';
import { LIMIT_MAXIMA } from '../../shared/api/schemas/limits.ts';
import type { RunRecord } from '../../shared/api/schemas/runs.ts';
import type { ApiClient, RouteInput } from '../../shared/api/types.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import { caseFileName } from '../../sandbox/test-case.ts';
import { ENGINE_NAMES, type RunEvent, type RunResult } from '../../shared/run.ts';
import { withApi } from '../context.ts';
import { withInterrupt } from '../interrupt.ts';
import { forTerminal, printAiTokens, runAction, UsageError } from '../output.ts';
import { resolvePluginArgument, versionNotInstalled, type PluginArgument } from '../plugin-argument.ts';
import { readPluginSource, readTextFile } from '../plugin-source.ts';
import { readStdin } from '../stdin.ts';
import { withJsonFailure } from '../run-json-failure.ts';

interface RunOptions {
  input?: string;
  inputFile?: string;
  json?: boolean;
  engine?: (typeof ENGINE_NAMES)[number];
  timeout?: number;
  record?: string;
  replay?: string;
  stream?: boolean;
  raw?: boolean;
  saveTest?: string;
}

type RunRequest = RouteInput<'runs.run'>;

export function register(program: Command): void {
  program
    .command('run')
    .description('Run a plugin (a .py file, a plugin folder, or an installed plugin) in the sandbox')
    .argument('<plugin>', 'plugin.py, a folder holding plugin.py and plugin.json, or an installed name[@version] (a name that is also a folder here is refused: ./name is the folder, name@version the installed plugin)')
    .option('--input <text>', 'the input text')
    .option('--input-file <file>', 'read the input from a file')
    .option('--json', 'print the whole result as one JSON object')
    .addOption(new Option('--engine <engine>', 'sandbox engine').choices(ENGINE_NAMES))
    .option('--timeout <seconds>', 'time limit in seconds for this run, wall and compute time (may exceed the settings\' limits)', parseTimeout)
    .option('--record <file>', 'save every AI call of the run, with its answer, to this file')
    .option('--replay <file>', 'answer the AI calls from a recording instead of Ollama')
    .option('--stream', 'print the AI answers on stderr as they arrive')
    .option('--raw', 'print the output exactly as the plugin sent it, even on a terminal (control sequences included)')
    .option('--save-test <name>', "keep this run as a test case, tests/<name>.json in the plugin folder: its input, the AI answers it got, its output (see wasmforge test --help)")
    .action((plugin: string, options: RunOptions) => runAction(() => withJsonFailure(options.json, options.engine, (printed) => runCommand(plugin, options, printed))));
}

/**
 * Exit 0 when the plugin succeeded, 1 when it failed; Ctrl-C cancels whatever is under way, reading
 * stdin included. `printed` is called once the run's result is out (see withJsonFailure).
 */
async function runCommand(plugin: string, options: RunOptions, printed: () => void): Promise<number> {
  if (options.input !== undefined && options.inputFile !== undefined) throw new UsageError('use either --input or --input-file, not both');
  if (options.record !== undefined && options.replay !== undefined) throw new UsageError('use either --record or --replay, not both');
  const testsFolder = options.saveTest === undefined ? undefined : await testsFolderOf(plugin);
  // A name already taken is refused before anything runs (the run would be lost with the refusal).
  if (testsFolder !== undefined) await refuseExistingCase(join(testsFolder, caseFileName(options.saveTest!)));
  // Before stdin is read: a name that could mean two plugins is refused at once.
  const target = await resolvePluginArgument(plugin);
  return withInterrupt(async (signal) => {
    const request = await runRequest(target, options, signal);
    return withApi({}, async (client) => {
      await checkInstalledVersion(client, target);
      const printer = new LivePrinter(options);
      const record = await client.stream('runs.run', request, { signal, onEvent: printer.onEvent });
      if (options.record !== undefined && record.recording !== undefined) await writeFileAtomic(options.record, record.recording);
      printer.printResult(record.result);
      printed();
      if (testsFolder !== undefined) await saveTest(client, testsFolder, options.saveTest!, record, request.replay ?? record.recording);
      return record.result.ok ? 0 : 1;
    });
  });
}

/** `--save-test` keeps cases beside the plugin, so it needs a plugin folder (what `wasmforge test` runs). */
async function testsFolderOf(plugin: string): Promise<string> {
  const isFolder = await stat(plugin).then((info) => info.isDirectory(), () => false);
  if (!isFolder) throw new UsageError('--save-test needs a plugin folder (plugin.py, plugin.json, tests/), not a file or an installed plugin');
  return join(plugin, 'tests');
}

/**
 * The run as a case, through the same route as the Builder's Save as test case; an existing case is
 * never replaced, and the route keeps no run that ended in an error of its own (Ollama down, a replay
 * miss): the rule `wasmforge test --update` follows (caseFromRunRefusal).
 */
async function saveTest(client: ApiClient, folder: string, name: string, record: RunRecord, recording: string | undefined): Promise<void> {
  const { result } = record;
  const saved = await client.call('tests.saveFromRun', {
    name, input: record.input, output: result.output, errorCode: result.error?.code ?? null, ...(recording !== undefined ? { recording } : {}),
  });
  const path = join(folder, saved.file);
  // Checked again: the case may have been written while the plugin ran.
  await refuseExistingCase(path);
  await mkdir(folder, { recursive: true });
  await writeFileAtomic(path, saved.text);
  process.stderr.write(`saved test case ${path}\n`);
}

/** An existing case is never replaced: ALREADY_EXISTS, naming it. */
async function refuseExistingCase(path: string): Promise<void> {
  if (await stat(path).then(() => true, () => false)) {
    throw new WasmForgeError('ALREADY_EXISTS', `${path} already exists`, { hint: 'Choose another name with --save-test, or delete that case first' });
  }
}

/** The run as the API takes it; the files it names are read here, so the API never needs this machine's paths. */
async function runRequest(plugin: PluginArgument, options: RunOptions, signal: AbortSignal): Promise<RunRequest> {
  return {
    ...(await runTarget(plugin)),
    input: await readInput(options, signal),
    engine: options.engine,
    ...(options.timeout ? { limits: { wallTimeMs: Math.ceil(options.timeout * 1000) } } : {}),
    // --save-test keeps the AI answers the run gets (replayed ones are in the recording given).
    record: options.replay === undefined && (options.record !== undefined || options.saveTest !== undefined),
    ...(options.replay !== undefined ? { replay: await readTextFile(options.replay, 'recording') } : {}),
    // A one-shot run is not kept in the app's history (which would open the local database).
    remember: false,
  };
}

/** An installed plugin by name, or code (and its manifest) from a file or folder on disk. */
async function runTarget(plugin: PluginArgument): Promise<Pick<RunRequest, 'plugin' | 'code' | 'files' | 'manifest' | 'filename'>> {
  if (plugin.kind === 'installed') return { plugin: { source: 'installed', name: plugin.name }, filename: `${plugin.name}.py` };
  const source = await readPluginSource(plugin.path);
  return {
    code: source.code, filename: source.filename, ...(source.files ? { files: source.files } : {}), ...(source.manifest ? { manifest: source.manifest } : {}),
  };
}

/** `name@version` runs only if that version is the one installed; none installed is said the same way. */
async function checkInstalledVersion(client: ApiClient, plugin: PluginArgument): Promise<void> {
  if (plugin.kind !== 'installed' || !plugin.version) return;
  const { name, version } = plugin;
  const installed = await client.call('plugins.get', { source: 'installed', name }).then((found) => found.summary.version, (error: unknown) => {
    if (errorInfoOf(error).code === 'NOT_FOUND') return null;
    throw error;
  });
  if (installed !== version) throw versionNotInstalled(name, version, installed, 'run');
}

async function readInput(options: RunOptions, signal: AbortSignal): Promise<string> {
  if (options.input !== undefined) return options.input;
  if (options.inputFile !== undefined) return readTextFile(options.inputFile, 'input');
  return process.stdin.isTTY ? '' : readStdin(signal);
}

/**
 * What a run shows on stderr while it goes: the plugin's logs as it prints them (not with --json,
 * where they are in the result), and with --stream the AI answers as they arrive.
 */
class LivePrinter {
  private logs = '';
  private readonly aiTokens?: (event: RunEvent | { type: 'end' }) => void;

  constructor(private readonly options: RunOptions) {
    if (options.stream) this.aiTokens = printAiTokens((text) => process.stderr.write(forTerminal(text)));
  }

  readonly onEvent = (event: RunStreamEvent): void => {
    if (event.type === 'log' && !this.options.json) {
      this.logs += event.text;
      process.stderr.write(forTerminal(event.text));
    } else if (event.type !== 'accepted') {
      this.aiTokens?.(event);
    }
  };

  /** The result, after the logs not shown yet (a run that failed before starting has some). */
  printResult(result: RunResult): void {
    // The result comes once, after the stream: the AI answer streamed last ends its line here.
    this.aiTokens?.({ type: 'end' });
    if (this.options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const rest = result.logs.startsWith(this.logs) ? result.logs.slice(this.logs.length) : '';
    if (rest) process.stderr.write(forTerminal(rest));
    if (result.logs && !result.logs.endsWith('\n')) process.stderr.write('\n');
    process.stdout.write(this.options.raw ? result.output : forTerminal(result.output, process.stdout));
    // At a terminal the prompt comes back on a line of its own; piped, the output stays byte-exact.
    if (process.stdout.isTTY && result.output && !result.output.endsWith('\n')) process.stdout.write('\n');
    if (result.error) {
      const { code, message, traceback, hint } = result.error;
      process.stderr.write(forTerminal(`${traceback ? `${traceback.trimEnd()}\n` : ''}error ${code}: ${message}\n${hint ? `hint: ${hint}\n` : ''}`));
    }
  }
}

const MAX_TIMEOUT_SECONDS = LIMIT_MAXIMA.wallTimeMs / 1000;

function parseTimeout(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  if (number > MAX_TIMEOUT_SECONDS) throw new InvalidArgumentError(`may be at most ${MAX_TIMEOUT_SECONDS} seconds (24 hours)`);
  return number;
}
