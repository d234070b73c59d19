import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { AppApi } from '../../app/index.ts';
import { writeFileAtomic } from '../../library/atomic-write.ts';
import { readCaseFiles } from '../../sandbox/plugin-tests.ts';
import { PLUGIN_NAME_PATTERN } from '../../shared/api/names.ts';
import type { CaseResult, TestReport, TestSuite } from '../../shared/api/schemas/tests.ts';
import { withApi } from '../context.ts';
import { forTerminal, runAction } from '../output.ts';
import { isPluginPath, pluginFolderOf, readPluginSource } from '../plugin-source.ts';

const FORMAT_HELP = `
Test cases are tests/<name>.json in the plugin folder (JSON Schema: sdk/test-case.schema.json):

  {
    "name": "short text",                      optional; the file name otherwise
    "input": "the report",                     text, or any JSON value (sent as its JSON text)
    "ai": [                                    the answers call_ai gets, matched by model and prompt
      { "model": "qwen2.5:1.5b", "prompt": "Summarize: the report", "response": "A report." }
    ],
    "recording": "calls.json",                 optional: a file from \`run --record\` in tests/
    "expect": { "output": "A report." }        an object of checks, all must hold:
  }                                            output, contains [..], notContains [..], matches (regex),
                                               json (value), error (code), aiCalls (count)

Cases run offline, several at once; no Ollama is needed. \`wasmforge run <dir> --save-test NAME\`
keeps a run as a case; --update rewrites the exact checks (output, json, error, aiCalls) from what
the plugin does now and leaves contains, notContains and matches as written.
`;

export function register(program: Command): void {
  program
    .command('test')
    .description("Run a plugin's test cases (tests/*.json: input, recorded AI answers, expected output) offline")
    .argument('<plugin>', "the plugin folder (plugin.py, plugin.json, tests/) or its plugin.py, or a workspace plugin's name (as rename and rm take it)")
    .option('--json', 'print the results as JSON')
    .option('--update', "refresh the cases' exact expectations from what the plugin does now")
    .addHelpText('after', FORMAT_HELP)
    .action((plugin: string, options: { json?: boolean; update?: boolean }) => runAction(() => testCommand(plugin, options)));
}

async function testCommand(plugin: string, options: { json?: boolean; update?: boolean }): Promise<number> {
  const target = isPluginPath(plugin) || !PLUGIN_NAME_PATTERN.test(plugin) ? await folderTarget(plugin) : await workspaceTarget(plugin);
  if (target.cases === 0) {
    process.stderr.write(`error: no test cases in ${target.where} (add tests/<name>.json with "input", "ai" and "expect"; see wasmforge test --help)\n`);
    return 1;
  }
  const { suite } = target;
  return withTestApi(target.cases, async (api) => {
    // A failure quotes the plugin's output and error message: on a terminal they cannot drive it.
    const print = (result: CaseResult) => process.stdout.write(forTerminal(`${formatCaseResult(result)}\n`, process.stdout));
    let report: TestReport;
    if (options.update) {
      const updated = await api.client.call('tests.update', { suite });
      if (target.folder) for (const { file, text } of updated.updated) await writeFileAtomic(join(target.folder, file), text);
      if (!options.json) updated.results.forEach(print);
      if (!options.json) process.stdout.write(`\nupdated ${updated.updated.length} ${updated.updated.length === 1 ? 'case' : 'cases'}${updated.updated.map((u) => `\n  ${u.file}`).join('')}\n`);
      report = updated;
    } else {
      report = await api.client.stream('tests.run', { suite }, { onEvent: (event) => options.json || print(event.result) });
    }
    if (options.json) process.stdout.write(`${JSON.stringify(report.results.map(({ result: _result, ...rest }) => rest))}\n`);
    else process.stdout.write(`\n${report.passed} passed, ${report.failed} failed\n`);
    return report.failed === 0 ? 0 : 1;
  });
}

/** Whose cases run: the suite the API takes, how many cases, where they are (for words), and the folder --update writes into (none: the app writes). */
interface TestTarget {
  suite: TestSuite;
  cases: number;
  where: string;
  folder?: string;
}

/** A plugin folder (or its plugin.py): its contents go through the API whole, and the app runs them under its own policy. */
async function folderTarget(plugin: string): Promise<TestTarget> {
  const dir = await pluginFolderOf(plugin, 'test');
  const source = await readPluginSource(dir);
  const files = await readCaseFiles(dir);
  const suite = {
    code: source.code, filename: source.filename, ...(source.files ? { files: source.files } : {}), ...(source.manifest ? { manifest: source.manifest } : {}), ...files,
  };
  return { suite, cases: files.cases.length, where: join(dir, 'tests'), folder: join(dir, 'tests') };
}

/** As `rename` and `rm` take it: a name that is no path here is a workspace plugin, which the app finds (NOT_FOUND otherwise), runs and updates, as its Tests panel does. */
async function workspaceTarget(name: string): Promise<TestTarget> {
  const cases = await withApi({}, (client) => client.call('tests.list', { plugin: name }));
  return { suite: { plugin: name }, cases: cases.length, where: `the workspace plugin ${name}` };
}

/** The app's API with a sandbox for each case that can run at once (a one-shot command otherwise gets one). */
async function withTestApi<T>(cases: number, work: (api: AppApi) => Promise<T>): Promise<T> {
  const { createAppApi } = await import('../../app/index.ts');
  const warmPoolSize = Math.max(1, Math.min(cases, availableParallelism()));
  const api = await createAppApi({ host: 'direct', sandbox: { warmPoolSize, prewarm: true }, oneShot: true });
  try {
    return await work(api);
  } finally {
    await api.close();
  }
}

/** ✓ or ✗, the name and time, then each failure; an exact check's diff as - expected / + actual lines. */
export function formatCaseResult(result: CaseResult): string {
  const head = `${result.passed ? '✓' : '✗'} ${result.name} (${Math.round(result.durationMs)} ms)`;
  if (result.passed) return head;
  const lines = result.failures.flatMap((failure) => [
    // A message of several lines (INVALID_TEST_CASE's issues) stays under its case, each line as indented as its first.
    ...failure.message.split('\n').map((line) => `    ${line}`),
    ...(failure.diff && failure.diff.length <= 60 ? failure.diff.map((line) => `      ${line.op === 'same' ? ' ' : line.op === 'removed' ? '-' : '+'} ${line.text}`) : []),
  ]);
  return [head, ...lines].join('\n');
}
