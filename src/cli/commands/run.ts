import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ENGINE_NAMES, type RunResult } from '../../shared/run.ts';
import { toErrorInfo } from '../../shared/errors.ts';
import { createRunAi, printAiTokens } from '../../ai/factory.ts';
import { createCliContext } from '../context.ts';
import { readPluginSource } from '../plugin-source.ts';
import { looksLikeInstalledName, resolvePluginForRun } from '../../library/resolve-run.ts';

interface RunOptions {
  input?: string;
  inputFile?: string;
  json?: boolean;
  engine?: (typeof ENGINE_NAMES)[number];
  timeout?: number;
  record?: string;
  replay?: string;
  stream?: boolean;
}

export function register(program: Command): void {
  program
    .command('run')
    .description('Run a plugin (a .py file or a plugin folder) in the sandbox')
    .argument('<plugin>', 'plugin.py, or a folder holding plugin.py and plugin.json')
    .option('--input <text>', 'the input text')
    .option('--input-file <file>', 'read the input from a file')
    .option('--json', 'print the whole result as one JSON object')
    .addOption(new Option('--engine <engine>', 'sandbox engine').choices(ENGINE_NAMES))
    .option('--timeout <seconds>', 'wall-clock limit in seconds', parsePositiveNumber)
    .option('--record <file>', 'save every AI call of the run, with its answer, to this file')
    .option('--replay <file>', 'answer the AI calls from a recording instead of Ollama')
    .option('--stream', 'print the AI answers on stderr as they arrive')
    .action(async (plugin: string, options: RunOptions) => {
      process.exitCode = await runCommand(plugin, options);
    });
}

async function runCommand(plugin: string, options: RunOptions): Promise<number> {
  if (options.input !== undefined && options.inputFile !== undefined) {
    process.stderr.write('error: use either --input or --input-file, not both\n');
    return 2;
  }
  if (options.record !== undefined && options.replay !== undefined) {
    process.stderr.write('error: use either --record or --replay, not both\n');
    return 2;
  }
  const context = await createCliContext();
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const source = looksLikeInstalledName(plugin) ? await resolvePluginForRun(plugin, context.home) : await readPluginSource(plugin);
    const input = await readInput(options);
    const ai = await createRunAi(context.settings, { record: options.record, replay: options.replay });
    const result = await context.runtime.run({
      ...source,
      input,
      engine: options.engine,
      limits: options.timeout ? { wallTimeMs: options.timeout * 1000 } : undefined,
      signal: controller.signal,
      broker: ai.broker,
      onEvent: options.stream ? printAiTokens((text) => process.stderr.write(text)) : undefined,
    });
    await ai.finish();
    printResult(result, options.json === true);
    return result.ok ? 0 : 1;
  } catch (error) {
    const info = toErrorInfo(error);
    process.stderr.write(`error ${info.code}: ${info.message}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    await context.runtime.close();
  }
}

async function readInput(options: RunOptions): Promise<string> {
  if (options.input !== undefined) return options.input;
  if (options.inputFile !== undefined) return readFile(options.inputFile, 'utf8');
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function printResult(result: RunResult, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  if (result.logs) process.stderr.write(result.logs.endsWith('\n') ? result.logs : `${result.logs}\n`);
  process.stdout.write(result.output);
  if (result.error) {
    const { code, message, traceback } = result.error;
    process.stderr.write(`${traceback ? `${traceback.trimEnd()}\n` : ''}error ${code}: ${message}\n`);
  }
}

function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return number;
}
