import { describe, expect, it } from 'vitest';
import type { CaseResult, CaseSummary } from '../../../../shared/api/schemas/tests.ts';
import { draftFingerprint, runFor, shownResult, summaryOutOfDate, type CasesRun } from './tests-results.ts';

const testCase = (file: string, digest: string): CaseSummary => ({ file, name: file, checks: ['output'], aiAnswers: 1, digest });
const passed = (file: string, digest: string): CaseResult => ({ file, name: file, passed: true, failures: [], durationMs: 5, digest });
const draft = draftFingerprint({ code: 'print(1)', files: { 'b.py': 'x', 'a.py': 'y' } });
const run: CasesRun = {
  plugin: 'alpha', draft, running: [], summary: { passed: 1, failed: 0, durationMs: 5 },
  results: { 'one.json': { result: passed('one.json', 'd1'), draft } },
};

describe('which test results the Tests panel shows', () => {
  it('shows a run only beside the plugin it ran for', () => {
    expect(runFor(run, 'alpha')).toBe(run);
    expect(runFor(run, 'beta')).toBeUndefined();
    expect(runFor(run, undefined)).toBeUndefined();
  });

  it('drops a result whose case file changed since: that case has not run', () => {
    expect(shownResult(run, testCase('one.json', 'd1'), draft)).toEqual({ result: run.results['one.json']!.result, outOfDate: false });
    expect(shownResult(run, testCase('one.json', 'd2'), draft)).toBeUndefined();
    expect(shownResult(run, testCase('two.json', 'd1'), draft)).toBeUndefined();
    expect(summaryOutOfDate(run, [testCase('one.json', 'd2')], draft)).toBe(true);
    expect(summaryOutOfDate(run, [], draft)).toBe(true);
  });

  it('keeps a result after a code or file edit, marked out of date; the order of files does not count', () => {
    const edited = draftFingerprint({ code: 'print(2)', files: { 'a.py': 'y', 'b.py': 'x' } });
    expect(shownResult(run, testCase('one.json', 'd1'), edited)?.outOfDate).toBe(true);
    expect(summaryOutOfDate(run, [testCase('one.json', 'd1')], edited)).toBe(true);
    const reordered = draftFingerprint({ code: 'print(1)', files: { 'a.py': 'y', 'b.py': 'x' } });
    expect(reordered).toBe(draft);
    expect(summaryOutOfDate(run, [testCase('one.json', 'd1')], reordered)).toBe(false);
    expect(draftFingerprint({ code: 'print(1)', files: { 'a.py': 'y', 'b.py': 'z' } })).not.toBe(draft);
  });
});
