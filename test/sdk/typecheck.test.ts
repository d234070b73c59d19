import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PYRIGHT_CONFIG } from '../../src/renderer/src/monaco/pyright-files.ts';

// The SDK's sources under the checker the editor runs (basedpyright, the same version and rules as
// its browser build in the Builder), from node_modules: nothing to install.
const SDK = fileURLToPath(new URL('../../sdk/', import.meta.url));
const basedpyright = join(createRequire(import.meta.url).resolve('basedpyright/package.json'), '..', 'index.js');

interface Finding { file: string; severity: string; message: string; rule?: string; range: { start: { line: number } } }

/**
 * Checks a folder as the editor would (Python 3.12, standard rules): implementation/ holds the SDK's
 * .py files (the runner imports the real platform_sdk, as in the sandbox), stub/ the .pyi alone.
 */
function check(files: Record<string, string>): Finding[] {
  const root = mkdtempSync(join(tmpdir(), 'wf-typecheck-'));
  const { typeshedPath: _typeshed, stubPath: _stubs, ...rules } = PYRIGHT_CONFIG;
  writeFileSync(join(root, 'pyrightconfig.json'), JSON.stringify(rules));
  for (const [path, from] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    copyFileSync(from, join(root, path));
  }
  let output: string;
  try {
    output = execFileSync(process.execPath, [basedpyright, '--outputjson', '-p', root], { encoding: 'utf8', cwd: root });
  } catch (error) {
    // Exit 1 when it found errors; the JSON is on stdout all the same.
    output = (error as { stdout: string }).stdout;
  }
  const report = JSON.parse(output) as { generalDiagnostics: Finding[]; summary: { filesAnalyzed: number } };
  expect(report.summary.filesAnalyzed).toBe(Object.keys(files).length);
  return report.generalDiagnostics.filter((finding) => finding.severity === 'error').map((f) => ({ ...f, file: f.file.slice(root.length + 1) }));
}

describe('the SDK type-checks under basedpyright', () => {
  it('has no type errors in its sources (every .py in sdk/) or its stub', () => {
    const sources = readdirSync(SDK).filter((name) => name.endsWith('.py'));
    expect(sources).toContain('wasmforge_runner.py');
    const files = Object.fromEntries([
      ...sources.map((name) => [`implementation/${name}`, join(SDK, name)]),
      ['stub/platform_sdk.pyi', join(SDK, 'platform_sdk.pyi')],
    ]);
    expect(check(files).map((f) => `${f.file}:${f.range.start.line + 1} ${f.rule ?? ''} ${f.message}`)).toEqual([]);
  });

  it('reports a plugin\'s wrong argument to the SDK through the stub (the check is live)', () => {
    const plugin = join(mkdtempSync(join(tmpdir(), 'wf-plugin-')), 'plugin.py');
    writeFileSync(plugin, 'from platform_sdk import call_ai, send_output\n\nsend_output(call_ai(42, "hi"))\n');
    const findings = check({ 'platform_sdk.pyi': join(SDK, 'platform_sdk.pyi'), 'plugin.py': plugin });
    // platform_sdk is a stub here with no source beside it; the editor drops that notice (isSdkSourceNotice).
    const mistakes = findings.filter((f) => f.rule !== 'reportMissingModuleSource');
    expect(mistakes.map((f) => [f.file, f.rule, f.range.start.line + 1])).toEqual([['plugin.py', 'reportArgumentType', 3]]);
  });
});
