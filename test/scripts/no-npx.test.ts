import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolEntry } from '../../scripts/tools.js';

// Windows has no `npx` executable, only npx.cmd, which child_process.spawn cannot start without a
// shell (ENOENT, or EINVAL since Node's batch-file fix). Scripts run tools as `node <entry>` instead.
const ROOT = join(import.meta.dirname, '..', '..');
const SPAWNS_NPX = /\b(?:spawn|spawnSync|exec|execSync|execFile|execFileSync|execa|execaSync|fork)\s*\(\s*['"`]npx(?:\.cmd)?['"`]|\[\s*['"`][^'"`]*['"`]\s*,\s*['"`]npx['"`]/;

describe('scripts never spawn npx', () => {
  it('finds a spawned npx when there is one (the check works)', () => {
    expect(SPAWNS_NPX.test("spawnSync('npx', ['tsc'])")).toBe(true);
    expect(SPAWNS_NPX.test("['type check', 'npx', ['tsc']]")).toBe(true);
    expect(SPAWNS_NPX.test("spawn(process.execPath, [entry])")).toBe(false);
  });

  it('in scripts/', () => {
    const offenders = readdirSync(join(ROOT, 'scripts'))
      .filter((name) => /\.(c|m)?js$/.test(name))
      .filter((name) => SPAWNS_NPX.test(readFileSync(join(ROOT, 'scripts', name), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('in the end-to-end tests’ helpers, which build the UI when it is missing', () => {
    const helpers = join(ROOT, 'e2e', 'helpers');
    const offenders = readdirSync(helpers).filter((name) => SPAWNS_NPX.test(readFileSync(join(helpers, name), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('in package.json scripts', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(Object.entries(scripts).filter(([, command]) => /(^|[\s;&|(])npx\s/.test(command))).toEqual([]);
  });

  it('resolves each tool the scripts run to a JavaScript file in node_modules', () => {
    for (const [pkg, bin] of [['typescript', 'tsc'], ['eslint', undefined], ['electron-vite', undefined], ['vitest', undefined]] as const) {
      expect(readFileSync(toolEntry(pkg, bin), 'utf8'), pkg).toMatch(/^#!.*node|import|require/m);
    }
  });
});
