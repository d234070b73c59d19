import { Command } from 'commander';
import { listTestCases, runPluginTests, type CaseResult } from '../../sandbox/plugin-tests.ts';
import { modelsHeldTo } from '../../app/run-policy.ts';
import { withApi } from '../context.ts';
import { forTerminal, runAction } from '../output.ts';
import { readPluginSource } from '../plugin-source.ts';

export function register(program: Command): void {
  program
    .command('test')
    .description("Run a plugin's test cases (tests/*.json: input, recorded AI answers, expected output) offline")
    .argument('<plugin-dir>', 'the plugin folder (plugin.py, plugin.json, tests/)')
    .option('--json', 'print the results as JSON')
    .action((dir: string, options: { json?: boolean }) => runAction(() => testCommand(dir, options.json === true)));
}

async function testCommand(dir: string, json: boolean): Promise<number> {
  const source = await readPluginSource(dir);
  if ((await listTestCases(dir)).length === 0) {
    process.stderr.write(`error: no test cases in ${dir}/tests (add tests/<name>.json with "input", "ai" and "expect")\n`);
    return 1;
  }
  // Each case brings its own recorded answers, so the cases run on the app's sandbox, held to the
  // same models and limits as `run` (the app's policy), without the API's choice of AI provider.
  return withApi({}, async (_client, api) => {
    const manifest = source.manifest ?? {};
    const results = await runPluginTests(dir, {
      source: { code: source.code, filename: source.filename, manifestModels: modelsHeldTo('workspace', manifest), manifestLimits: source.manifest?.limits },
      allowList: (await api.context.settings()).ollama.allowList,
      run: (request) => api.context.runtime.run(request),
      // A failure quotes the plugin's output and error message: on a terminal they cannot drive it.
      onCase: json ? undefined : (result) => process.stdout.write(forTerminal(`${formatCase(result)}\n`, process.stdout)),
    });
    const failed = results.filter((result) => !result.passed).length;
    if (json) process.stdout.write(`${JSON.stringify(results.map(({ result: _result, ...rest }) => rest))}\n`);
    else process.stdout.write(`\n${results.length - failed} passed, ${failed} failed\n`);
    return failed === 0 ? 0 : 1;
  });
}

export function formatCase(result: CaseResult): string {
  const head = `${result.passed ? '✓' : '✗'} ${result.name} (${Math.round(result.durationMs)} ms)`;
  return result.passed ? head : [head, ...result.failures.map((failure) => `    ${failure}`)].join('\n');
}
