import type { RunRecord, RunSummary } from '../../../../shared/api/schemas/runs.ts';
import { Empty, ErrorBanner, Loading } from '../../components/States.tsx';
import { formatMs, withLatestRun } from '../../run/run-view.ts';
import type { Loaded } from '../../use-data.ts';

interface HistoryProps {
  history: Loaded<RunSummary[]>;
  /** The run just made here, shown even before the history has it. */
  latest?: RunRecord;
  openId?: string;
  onOpen(id: string): void;
}

/** Past runs, newest first: status, plugin, when, how long, how many AI calls; a click reopens one. */
export function HistoryList({ history, latest, openId, onOpen }: HistoryProps): React.JSX.Element {
  if (history.error) return <ErrorBanner error={history.error} onRetry={history.reload} />;
  if (!history.data) return <Loading label="Loading the history…" />;
  const runs = withLatestRun(history.data, latest);
  if (runs.length === 0) return <Empty title="No runs yet">Runs appear here as you make them.</Empty>;
  return (
    <ol className="history" aria-label="Run history">
      {runs.map((run) => (
        <li key={run.id}>
          <button type="button" className={`history-row ${run.id === openId ? 'current' : ''}`} onClick={() => onOpen(run.id)} aria-current={run.id === openId}
            data-testid="history-row" aria-label={`${run.ok ? 'Succeeded' : `Failed with ${run.errorCode}`}: ${run.pluginName ?? 'Builder draft'}, ${new Date(run.startedAt).toLocaleString()}`}>
            <span className={`dot ${run.ok ? 'ok' : 'error'}`} aria-hidden="true" />
            <span className="name">{run.pluginName ?? '(draft)'}</span>
            <span className="when">{new Date(run.startedAt).toLocaleTimeString()}</span>
            <span className="figures">{formatMs(run.durationMs)} · {run.aiCalls} AI</span>
            {!run.ok && <code className="error-code">{run.errorCode}</code>}
          </button>
        </li>
      ))}
    </ol>
  );
}
