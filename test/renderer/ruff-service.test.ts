import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, type Workspace } from '@astral-sh/ruff-wasm-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerRuff, createRuffWorkspace, type RuffProblem } from '../../src/renderer/src/monaco/ruff-service.ts';

// The real Ruff build the worker loads, compiled here from the package's own .wasm (here, not beside
// the code: renderer files may not import node:fs).
let ruff: Workspace;
beforeAll(() => {
  initSync({ module: readFileSync(createRequire(import.meta.url).resolve('@astral-sh/ruff-wasm-web/ruff_wasm_bg.wasm')) });
  ruff = createRuffWorkspace();
});

function check(code: string): RuffProblem[] {
  const reply = answerRuff(ruff, { id: 1, kind: 'check', code });
  if (reply.kind !== 'check') throw new Error(`expected a check, got ${JSON.stringify(reply)}`);
  return reply.problems;
}

describe("the Ruff worker's answers", () => {
  it('finds an unused import (faded) and an undefined name (an error) where they are, in UTF-16 columns', () => {
    const problems = check('import os\nprint("😀", undefined_name)\n');
    expect(problems).toEqual([
      { code: 'F401', message: expect.stringContaining('`os` imported but unused'), severity: 'warning', unnecessary: true,
        startLineNumber: 1, startColumn: 8, endLineNumber: 1, endColumn: 10 },
      { code: 'F821', message: 'Undefined name `undefined_name`', severity: 'error', unnecessary: false,
        startLineNumber: 2, startColumn: 13, endLineNumber: 2, endColumn: 27 },
    ]);
  });

  it('does not nag about layout, nor about the original SDK star import', () => {
    const code = 'from platform_sdk import *\nx=1;  \nsend_output(call_ai("m", "a very long prompt that goes on and on and on and on and on and on and on"))\n';
    expect(check(code).map((p) => p.code)).toEqual(['E703']);
  });

  it('flags mistakes pycodestyle and 3.12 catch: == None, a bare except, an invalid escape', () => {
    const code = 'x = None\nif x == None:\n    pass\ntry:\n    pass\nexcept:\n    pass\npattern = "\\d"\n';
    expect(check(code).map((p) => p.code)).toEqual(['E711', 'E722', 'W605']);
  });

  it("leaves syntax errors to the sandbox's CPython check", () => {
    expect(check('def f(:\n    pass\n')).toEqual([]);
  });

  it('formats the way Ruff (and Black) do', () => {
    expect(answerRuff(ruff, { id: 7, kind: 'format', code: "x=[1,2,\n3]\nprint( 'x' )" }))
      .toEqual({ id: 7, kind: 'format', formatted: 'x = [1, 2, 3]\nprint("x")\n' });
  });

  it('answers code it cannot format with a failure naming the problem, under the same id', () => {
    const reply = answerRuff(ruff, { id: 9, kind: 'format', code: 'def f(:\n' });
    expect(reply).toMatchObject({ id: 9, kind: 'failed', message: expect.stringContaining('Expected a parameter') });
  });
});
