import { useState } from 'react';
import { api } from '../../api/client.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';
import type { CaseResult, CaseSummary } from '../../../../shared/api/schemas/tests.ts';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { errorTitle } from '../../../../shared/error-titles.ts';
import { useBuilder } from '../../stores/builder.ts';
import { builderRun, useRun } from '../../stores/run.ts';
import { useData } from '../../use-data.ts';
import { CaseFailures } from './CaseFailures.tsx';
import { runSavedCases, saveRunAsCase, suggestedCaseName } from './tests-actions.ts';
import { draftFingerprint, runFor, shownResult, summaryOutOfDate, type CasesRun } from './tests-results.ts';
import './tests-panel.css';
import { TextWithCode } from '../../components/TextWithCode.tsx';

/**
 * The plugin's test cases (the files `wasmforge test` runs): keep the last run as one, list them,
 * run one or all offline (recorded AI answers, several at once), and see why one failed.
 */
export function TestsPanel(): React.JSX.Element {
  const plugin = useBuilder((s) => s.savedName);
  const view = useRun(builderRun, (s) => s.view);
  const [listVersion, setListVersion] = useState(0);
  const cases = useData(async () => (plugin ? api().call('tests.list', { plugin }) : []), [plugin, listVersion], { refreshOn: ['library.changed'] });
  const draft = useBuilder((s) => draftFingerprint(s));
  // The last run, for the plugin it ran for: another plugin's panel shows none of it.
  const [lastRun, setLastRun] = useState<CasesRun>();
  const casesRun = runFor(lastRun, plugin);
  const running = casesRun?.running ?? [];
  const busy = lastRun !== undefined && lastRun.running.length > 0;
  const [error, setError] = useState<ErrorInfo>();
  const [note, setNote] = useState<string>();
  // What the last action said belongs to it: a new run of the plugin clears it (state adjusted while rendering, as React advises).
  const [seenStatus, setSeenStatus] = useState(view.status);
  if (view.status !== seenStatus) {
    setSeenStatus(view.status);
    if (view.status === 'running') {
      setError(undefined);
      setNote(undefined);
    }
  }

  const run = async (files?: string[]): Promise<void> => {
    if (!plugin) return;
    const list = files ?? (cases.data ?? []).map((c) => c.file);
    // Results of this plugin's cases not run again are kept (a single case's run); any other plugin's are dropped.
    const kept = Object.fromEntries(Object.entries(casesRun?.results ?? {}).filter(([file]) => !list.includes(file)));
    setLastRun({ plugin, draft, results: kept, running: list });
    setError(undefined);
    const update = (change: (run: CasesRun) => Partial<CasesRun>) => setLastRun((now) => (now && now.plugin === plugin ? { ...now, ...change(now) } : now));
    try {
      const report = await runSavedCases(files, (result) => {
        update((now) => ({ results: { ...now.results, [result.file]: { result, draft: now.draft } }, running: now.running.filter((file) => file !== result.file) }));
      });
      update(() => ({ summary: { passed: report.passed, failed: report.failed, durationMs: report.durationMs } }));
    } catch (failure) {
      setError(errorInfoOf(failure));
    } finally {
      update(() => ({ running: [] }));
    }
  };

  const saved = async (file: string): Promise<void> => {
    setNote(`Saved tests/${file}`);
    setListVersion((v) => v + 1);
  };

  const finished = view.status === 'done' && view.record !== undefined;
  return (
    <section className="tests-panel" aria-label="Tests">
      <header className="tests-header">
        <h3>Tests</h3>
        <span className="spacer" />
        <button type="button" onClick={() => void run()} disabled={!plugin || busy || !cases.data?.length} data-testid="run-all-tests">
          {busy ? 'Running…' : 'Run all'}
        </button>
      </header>
      {finished && view.record && <SaveCaseForm key={view.record.id} onSaved={saved} onError={setError} record={view.record} />}
      {note && <div className="hint" role="status">{note}</div>}
      {error && <div className="notice tone-error" role="alert"><strong>{errorTitle(error)}:</strong> <TextWithCode text={error.message} /> <code className="error-code">({error.code})</code></div>}
      {!plugin && <div className="hint">Save the plugin (give it a name) to keep test cases in its tests/ folder.</div>}
      {plugin && cases.data?.length === 0 && <div className="hint">No test cases yet: run the plugin, then Save as test case.</div>}
      {casesRun?.summary && <RunSummary summary={casesRun.summary} outOfDate={summaryOutOfDate(casesRun, cases.data ?? [], draft)} />}
      <ol className="test-cases" aria-label="Test cases">
        {(cases.data ?? []).map((summaryRow) => (
          <CaseRow key={summaryRow.file} summary={summaryRow} shown={shownResult(casesRun, summaryRow, draft)} running={running.includes(summaryRow.file)}
            onRun={() => void run([summaryRow.file])} disabled={busy} />
        ))}
      </ol>
    </section>
  );
}

/** The last run's totals; out of date once the code or a case changed since (kept, labelled, until the next run). */
function RunSummary({ summary, outOfDate }: { summary: NonNullable<CasesRun['summary']>; outOfDate: boolean }): React.JSX.Element {
  return (
    <div className={`tests-summary ${outOfDate ? '' : summary.failed ? 'tone-error' : 'tone-ok'}`} role="status" data-testid="tests-summary" data-outdated={outOfDate}>
      {summary.passed} passed, {summary.failed} failed · {Math.round(summary.durationMs)} ms
      {outOfDate && <span className="out-of-date"> · out of date: the code or cases changed since this run</span>}
    </div>
  );
}

function CaseRow(props: { summary: CaseSummary; shown?: { result: CaseResult; outOfDate: boolean }; running: boolean; disabled: boolean; onRun(): void }): React.JSX.Element {
  const { summary, running } = props;
  const result = running ? undefined : props.shown?.result;
  const outOfDate = result !== undefined && props.shown?.outOfDate === true;
  const state = running ? 'running' : result ? (result.passed ? 'passed' : 'failed') : summary.problem ? 'broken' : 'not-run';
  const label = { running: 'running', passed: 'pass', failed: 'fail', broken: 'invalid', 'not-run': 'not run' }[state];
  return (
    <li className={`test-case case-${state}`} data-testid="test-case" data-state={state} data-outdated={outOfDate}>
      <div className="case-head">
        <span className={`badge ${outOfDate ? '' : state === 'passed' ? 'tone-ok' : state === 'failed' || state === 'broken' ? 'tone-error' : ''}`}>{label}</span>
        {outOfDate && <span className="badge out-of-date" title="The code changed since this result: run the case again">out of date</span>}
        <span className="case-name">{summary.name}</span>
        <span className="case-file">{summary.file}</span>
        {result && <span className="figures">{Math.round(result.durationMs)} ms</span>}
        <span className="spacer" />
        <button type="button" onClick={props.onRun} disabled={props.disabled} aria-label={`Run ${summary.name}`}>▶</button>
      </div>
      {summary.problem && !result && <pre className="case-problem">{summary.problem.message}</pre>}
      {result && !result.passed && <CaseFailures failures={result.failures} />}
    </li>
  );
}

/** "Save as test case": the last run, under a name the author chooses (replacing a case of that name only when asked). */
function SaveCaseForm(props: { record: NonNullable<ReturnType<typeof builderRun.getState>['view']['record']>; onSaved(file: string): Promise<void>; onError(error: ErrorInfo | undefined): void }): React.JSX.Element {
  const [name, setName] = useState(() => suggestedCaseName(props.record.input));
  const [busy, setBusy] = useState(false);
  const [taken, setTaken] = useState(false);
  const save = async (overwrite: boolean): Promise<void> => {
    setBusy(true);
    props.onError(undefined);
    try {
      await props.onSaved(await saveRunAsCase(props.record, name.trim(), overwrite));
      setTaken(false);
      setName('');
    } catch (failure) {
      const info = errorInfoOf(failure);
      setTaken(info.code === 'ALREADY_EXISTS');
      props.onError(info);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="save-case" onSubmit={(event) => { event.preventDefault(); void save(false); }}>
      <input aria-label="Test case name" placeholder="Name this run as a test case" value={name} onChange={(e) => { setName(e.target.value); setTaken(false); }} maxLength={100} />
      <button type="submit" disabled={busy || name.trim() === ''}>Save as test case</button>
      {taken && <button type="button" className="danger" onClick={() => void save(true)} disabled={busy}>Replace it</button>}
    </form>
  );
}
