import type { ErrorInfo } from '../../../shared/errors.ts';
import { errorTitle } from '../../../shared/error-titles.ts';
import { TextWithCode } from './TextWithCode.tsx';

export function Loading({ label }: { label: string }): React.JSX.Element {
  return <div className="state state-loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />{label}</div>;
}

export function Empty({ title, children }: { title: string; children?: React.ReactNode }): React.JSX.Element {
  return <div className="state state-empty"><strong>{title}</strong>{children && <div>{children}</div>}</div>;
}

export function ErrorBanner({ error, onRetry, onDismiss }: { error: ErrorInfo; onRetry?: () => void; onDismiss?: () => void }): React.JSX.Element {
  return (
    <div className="state state-error" role="alert">
      {/* Words first (a heading, the message, the fix); the stable code last, for searching and for support. */}
      <strong className="error-title">{errorTitle(error)}</strong>
      <span><TextWithCode text={error.message} /></span>
      {error.hint && <div className="hint"><TextWithCode text={error.hint} /></div>}
      <code className="error-code" title="Error code">{error.code}</code>
      {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
      {onDismiss && <button type="button" onClick={onDismiss}>Dismiss</button>}
    </div>
  );
}
