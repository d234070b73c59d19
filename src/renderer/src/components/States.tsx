import type { ErrorInfo } from '../../../shared/errors.ts';

export function Loading({ label }: { label: string }): React.JSX.Element {
  return <div className="state state-loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />{label}</div>;
}

export function Empty({ title, children }: { title: string; children?: React.ReactNode }): React.JSX.Element {
  return <div className="state state-empty"><strong>{title}</strong>{children && <div>{children}</div>}</div>;
}

export function ErrorBanner({ error, onRetry }: { error: ErrorInfo; onRetry?: () => void }): React.JSX.Element {
  return (
    <div className="state state-error" role="alert">
      <code className="error-code">{error.code}</code> <span>{error.message}</span>
      {error.hint && <div className="hint">{error.hint}</div>}
      {onRetry && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}
