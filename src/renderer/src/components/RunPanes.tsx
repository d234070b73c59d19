import { useState } from 'react';
import type { LimitsView } from '../../../shared/api/schemas/limits.ts';
import { describeRun, type RunView } from '../run/run-view.ts';
import { AiTrace } from './AiTrace.tsx';
import { ErrorFixButton } from './ErrorFixButton.tsx';
import { Meter } from './Meter.tsx';
import { TextWithCode } from './TextWithCode.tsx';

type Pane = 'output' | 'logs' | 'ai';

/** The result of a run in three panes (output, console logs, AI trace), its status line and its meter. */
export function RunPanes({ view, limits, actions }: { view: RunView; limits?: LimitsView; actions?: React.ReactNode }): React.JSX.Element {
  const [pane, setPane] = useState<Pane>('output');
  const status = describeRun(view);
  const error = view.failure ?? view.result?.error;
  const tabs: Array<[Pane, string]> = [['output', 'Output'], ['logs', `Logs${view.logs ? ' •' : ''}`], ['ai', `AI trace (${view.aiCalls.length})`]];
  return (
    <section className="run-panes" aria-label="Run result">
      <div className={`run-status tone-${status.tone}`} data-testid="run-status">
        {status.tone === 'busy' && <span className="spinner" aria-hidden="true" />}
        {/* Only the words are live; the actions beside them are not announced with every change. */}
        <span className="status-text" role="status" aria-live="polite" title={status.text}>{status.text}</span>
        {view.engine && <span className="engine">{view.engine}</span>}
        <span className="spacer" />
        {actions}
      </div>
      {error?.hint && <div className="hint"><TextWithCode text={error.hint} /></div>}
      <ErrorFixButton key={view.runId ?? ''} error={error ?? undefined} fromBuilder={view.record?.source === 'builder'} />
      <Meter view={view} limits={limits} />
      <div role="tablist" aria-label="Result panes" className="tabs">
        {tabs.map(([id, label]) => (
          <button key={id} type="button" role="tab" id={`tab-${id}`} aria-selected={pane === id} aria-controls={`pane-${id}`} onClick={() => setPane(id)}>{label}</button>
        ))}
      </div>
      <div role="tabpanel" id={`pane-${pane}`} aria-labelledby={`tab-${pane}`} className="pane">
        {pane === 'output' && <pre className="output" data-testid="output">{view.output}{error?.traceback && <span className="traceback">{`\n${error.traceback}`}</span>}</pre>}
        {pane === 'logs' && <pre className="logs" data-testid="logs">{view.logs || (view.status === 'done' ? '(no log lines)' : '')}</pre>}
        {pane === 'ai' && <AiTrace view={view} />}
      </div>
    </section>
  );
}
