import type { CaseFailure, DiffLine } from '../../../../shared/api/schemas/tests.ts';
import type { ErrorInfo } from '../../../../shared/errors.ts';

/** Why a case failed: each check that did not hold, with a diff for the exact ones and a replay miss spelled out. */
export function CaseFailures({ failures }: { failures: CaseFailure[] }): React.JSX.Element {
  return (
    <ul className="case-failures" data-testid="case-failures">
      {failures.map((failure, index) => (
        <li key={index}>
          <ReplayMiss error={failure.error} />
          <div className="failure-message">{failure.message}</div>
          {failure.diff && <Diff lines={failure.diff} />}
        </li>
      ))}
    </ul>
  );
}

/** Which AI call found no recorded answer, for which model, and what differs from the recording. */
function ReplayMiss({ error }: { error?: ErrorInfo }): React.JSX.Element | null {
  if (error?.code !== 'REPLAY_MISS' || !error.details) return null;
  const { call, model, field, recorded, actual } = error.details;
  return (
    <div className="replay-miss" data-testid="replay-miss">
      <strong>Replay miss: AI call #{call} ({model})</strong>
      {field === null
        ? <span> — nothing like it was recorded</span>
        : (
          <span>
            {' '}— its {field} differs: recorded <code className="recorded">{recorded}</code>, got <code className="actual">{actual}</code>
          </span>
        )}
    </div>
  );
}

/** Expected lines (−) against actual ones (+), the same lines between them unmarked. */
function Diff({ lines }: { lines: DiffLine[] }): React.JSX.Element {
  return (
    <pre className="case-diff" data-testid="case-diff" aria-label="Expected (−) and actual (+) output">
      {lines.map((line, index) => (
        <div key={index} className={`diff-${line.op}`}>{line.op === 'removed' ? '− ' : line.op === 'added' ? '+ ' : '  '}{line.text}</div>
      ))}
    </pre>
  );
}
