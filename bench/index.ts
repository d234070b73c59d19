import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './types.ts';

// `npm run bench [suite…]`: runs bench/suites/*.ts in turn, prints one table, writes bench/results/latest.json.
const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const suites = readdirSync(join(here, 'suites')).filter((f) => f.endsWith('.ts')).sort()
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)));

const rows: BenchRow[] = [];
for (const file of suites) {
  console.error(`… ${file}`);
  const suite = (await import(join(here, 'suites', file))) as { run: () => Promise<BenchRow[]> };
  rows.push(...(await suite.run()));
}

const table = [
  '| suite | metric | value | target | ok |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.suite} | ${r.metric}${r.note ? ` (${r.note})` : ''} | ${format(r.value)} ${r.unit} | ${r.target ?? ''} | ${r.pass === undefined ? '' : r.pass ? '✅' : '❌'} |`),
].join('\n');
console.log(table);
const out = join(here, 'results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2));
console.error(`written ${out}`);
process.exit(0);

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}
