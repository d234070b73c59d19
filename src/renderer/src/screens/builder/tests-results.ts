import type { CaseResult, CaseSummary } from '../../../../shared/api/schemas/tests.ts';
import type { PluginFiles } from '../../../../shared/plugin-files.ts';

/**
 * The Tests panel's last run of cases, and whether what it says still holds. A result is only
 * worth showing beside the plugin, the case and the code it ran on: a trial saw one plugin's
 * summary above another's cases, a result beside a case changed on disk, and a pass kept after
 * an edit with no sign it was out of date.
 */
export interface CasesRun {
  /** The workspace plugin the cases ran for: another plugin's panel shows none of it. */
  plugin: string;
  /** draftFingerprint of the code and files the run tested (its summary's). */
  draft: string;
  /** Each case's latest result, with the draft it ran on (a run of one case keeps the others' results). */
  results: Record<string, { result: CaseResult; draft: string }>;
  /** Case files still under way. */
  running: string[];
  /** The totals, once the whole run is over. */
  summary?: { passed: number; failed: number; durationMs: number };
}

/** The code and files as one string, to tell whether the draft is still the one a run tested. */
export function draftFingerprint(draft: { code: string; files?: PluginFiles }): string {
  const files = Object.entries(draft.files ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([draft.code, files]);
}

/** The run, when it belongs to this plugin (none otherwise, as if it never ran here). */
export function runFor(run: CasesRun | undefined, plugin: string | undefined): CasesRun | undefined {
  return run && plugin !== undefined && run.plugin === plugin ? run : undefined;
}

/**
 * A case's result as the panel shows it: none when the case file changed since (its result is
 * about a case that no longer exists: the case shows as not run), otherwise the result, marked
 * out of date when the code or files differ from what it ran on (still shown: it says what the last run found).
 */
export function shownResult(run: CasesRun | undefined, testCase: CaseSummary, draft: string): { result: CaseResult; outOfDate: boolean } | undefined {
  const ran = run?.results[testCase.file];
  if (!ran) return undefined;
  const { result } = ran;
  if (result.digest !== undefined && testCase.digest !== undefined && result.digest !== testCase.digest) return undefined;
  return { result, outOfDate: ran.draft !== draft };
}

/** The totals are out of date once the code changed, or a case they counted changed or is gone. */
export function summaryOutOfDate(run: CasesRun, cases: CaseSummary[], draft: string): boolean {
  if (run.draft !== draft) return true;
  return Object.keys(run.results).some((file) => {
    const testCase = cases.find((c) => c.file === file);
    return !testCase || !shownResult(run, testCase, draft);
  });
}
