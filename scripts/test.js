#!/usr/bin/env node
// `npm test`: type check, lint, build (the e2e tests serve the built renderer), then every
// Vitest project (unit/integration and browser e2e) in one run, ending with a plain summary line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { nodeTool } from './tools.js';

// Each tool runs as `node <its entry>` (never npx, which Windows cannot spawn without a shell).
const steps = [
  ['type check', ...nodeTool('typescript', 'tsc', ['-b', '--noEmit', 'tsconfig.node.json', 'tsconfig.web.json'])],
  ['lint', ...nodeTool('eslint', undefined, ['--max-warnings', '0', '.'])],
  ['build', ...nodeTool('electron-vite', undefined, ['build'])],
];
const reportFile = 'test-results/vitest.json';
const extraArgs = process.argv.slice(2);

function run(label, cmd, args) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (result.error) console.error(`${label} could not start: ${result.error.message}`);
  console.log(`◀ ${label}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status ?? 1;
}

for (const [label, cmd, args] of steps) {
  if (run(label, cmd, args) !== 0) process.exit(1);
}
mkdirSync('test-results', { recursive: true });
const status = run('tests', ...nodeTool('vitest', undefined, [
  'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...extraArgs,
]));
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
} catch {
  console.log('\ntests: the Vitest report could not be read');
}
process.exit(status);
