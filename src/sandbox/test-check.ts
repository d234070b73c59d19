import { isDeepStrictEqual } from 'node:util';
import { WasmForgeError } from '../shared/errors.ts';
import type { CaseFailure, DiffLine } from '../shared/api/schemas/tests.ts';
import type { RunResult } from '../shared/run.ts';
import type { CaseExpectation } from './test-case.ts';

/** Every expectation that does not hold: in words, with a diff for the exact ones and the run's error behind a failure. */
export function checkResult(expect: CaseExpectation, result: RunResult): CaseFailure[] {
  const failures: CaseFailure[] = [];
  const { output } = result;
  const error = result.error ?? undefined;
  if (expect.error) {
    if (result.error?.code !== expect.error) {
      failures.push({ check: 'error', message: `expected error ${expect.error}, got ${result.error ? `${result.error.code}: ${result.error.message}` : 'success'}`, ...(error ? { error } : {}) });
    }
  } else if (error) {
    failures.push({ check: 'error', message: `the run failed: ${error.code}: ${error.message}`, error });
  }
  if (expect.output !== undefined && output !== expect.output) {
    failures.push({ check: 'output', message: `output was ${show(output)}, expected ${show(expect.output)}`, diff: lineDiff(expect.output, output) });
  }
  for (const text of expect.contains ?? []) if (!output.includes(text)) failures.push({ check: 'contains', message: `output does not contain ${show(text)}` });
  for (const text of expect.notContains ?? []) if (output.includes(text)) failures.push({ check: 'notContains', message: `output contains ${show(text)}` });
  if (expect.matches !== undefined && !safeRegExp(expect.matches).test(output)) failures.push({ check: 'matches', message: `output does not match /${expect.matches}/` });
  if (expect.json !== undefined && !isDeepStrictEqual(parseJson(output), expect.json)) {
    const actual = parseJson(output);
    failures.push({
      check: 'json', message: `output JSON is ${show(output)}, expected ${show(JSON.stringify(expect.json))}`,
      diff: lineDiff(JSON.stringify(expect.json, null, 2), actual === undefined ? output : JSON.stringify(actual, null, 2)),
    });
  }
  if (expect.aiCalls !== undefined && result.aiCalls.length !== expect.aiCalls) failures.push({ check: 'aiCalls', message: `made ${result.aiCalls.length} AI calls, expected ${expect.aiCalls}` });
  return failures;
}

/** The exact expectations as the run met them now (`wasmforge test --update`); the loose ones an author wrote stay. */
export function refreshedExpectation(expect: CaseExpectation, result: RunResult): CaseExpectation {
  const next: CaseExpectation = { ...expect };
  if (result.error) next.error = result.error.code;
  else delete next.error;
  if (expect.output !== undefined || (expect.json === undefined && !result.error && !hasLooseChecks(expect))) next.output = result.output;
  if (expect.json !== undefined) {
    const json = parseJson(result.output);
    if (json !== undefined) next.json = json;
  }
  if (expect.aiCalls !== undefined) next.aiCalls = result.aiCalls.length;
  return next;
}

function hasLooseChecks(expect: CaseExpectation): boolean {
  return expect.contains !== undefined || expect.notContains !== undefined || expect.matches !== undefined;
}

/** Lines beyond this are not diffed line by line (the work grows with their product): the rest is shown whole. */
const MAX_DIFF_LINES = 2000;

/** A line diff (longest common subsequence): `removed` lines are expected only, `added` lines actual only. */
export function lineDiff(expected: string, actual: string): DiffLine[] {
  const a = expected.split('\n');
  const b = actual.split('\n');
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) {
    return [...a.map((text) => ({ op: 'removed' as const, text })), ...b.map((text) => ({ op: 'added' as const, text }))];
  }
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lengths = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = a[i] === b[j] ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const lines: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ op: 'same', text: a[i++]! });
      j++;
    } else if (i < a.length && (j >= b.length || lengths[i + 1]![j]! >= lengths[i]![j + 1]!)) {
      lines.push({ op: 'removed', text: a[i++]! });
    } else {
      lines.push({ op: 'added', text: b[j++]! });
    }
  }
  return lines;
}

function show(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

function safeRegExp(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'u');
  } catch (error) {
    throw new WasmForgeError('BAD_INPUT', `"matches" is not a valid regular expression: ${(error as Error).message}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
