import { formatMs, type AiCallView, type RunView } from '../run/run-view.ts';
import { Empty } from './States.tsx';

/** Every AI call of the run: model, prompt, the answer as it streams, tokens and time. */
export function AiTrace({ view }: { view: RunView }): React.JSX.Element {
  if (view.aiCalls.length === 0) return <Empty title="No AI calls">{view.status === 'running' ? 'None yet in this run.' : 'This run made no call_ai.'}</Empty>;
  return (
    <ol className="ai-trace" aria-label="AI calls">
      {view.aiCalls.map((call) => <AiCall key={call.index} call={call} live={view.status === 'running' && !call.record} />)}
    </ol>
  );
}

function AiCall({ call, live }: { call: AiCallView; live: boolean }): React.JSX.Element {
  const record = call.record;
  return (
    <li className={`ai-call ${record && !record.ok ? 'failed' : ''}`} data-testid="ai-call">
      <header>
        <span className="model">{call.model}</span>
        {live && <span className="badge busy" data-testid="ai-call-streaming">streaming · {call.tokens} {call.tokens === 1 ? 'token' : 'tokens'}</span>}
        {record && !record.ok && <span className="badge error">{record.errorCode ?? 'failed'}</span>}
        {record?.replayed && <span className="badge" data-testid="ai-call-replayed" title="Answered from a recording, not by a model">replayed</span>}
        {record && <span className="figures">{tokens(record.promptTokens, record.responseTokens)} · {formatMs(record.durationMs)}</span>}
      </header>
      {record?.prompt !== undefined && (
        <details>
          <summary>Prompt ({record.promptChars} chars)</summary>
          <pre className="prompt">{record.prompt}</pre>
        </details>
      )}
      <pre className="response" aria-live={live ? 'polite' : 'off'}>{call.text}</pre>
    </li>
  );
}

function tokens(prompt?: number, response?: number): string {
  if (prompt === undefined && response === undefined) return 'tokens n/a';
  return `${prompt ?? '?'} → ${response ?? '?'} tokens`;
}
