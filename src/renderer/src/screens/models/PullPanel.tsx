import { useState } from 'react';
import { ErrorBanner } from '../../components/States.tsx';
import { formatBytes } from '../../run/run-view.ts';
import { pullStore, usePull } from '../../stores/pull.ts';
import { MODEL_NAME_PATTERN } from '../../../../shared/api/names.ts';

/** Pull a model by name, with a live progress bar and Cancel. */
export function PullPanel({ suggestions, disabled }: { suggestions: string[]; disabled: boolean }): React.JSX.Element {
  const [name, setName] = useState('');
  const { running, progress, outcome } = usePull((s) => s);
  const pulling = usePull((s) => s.name);
  const valid = MODEL_NAME_PATTERN.test(name.trim());
  const percent = progress && progress.totalBytes > 0 ? Math.floor((progress.completedBytes / progress.totalBytes) * 100) : undefined;
  return (
    <section className="pull-panel" aria-labelledby="pull-title">
      <h2 id="pull-title">Pull a model</h2>
      <form className="toolbar" onSubmit={(e) => { e.preventDefault(); if (valid) void pullStore.getState().start(name.trim()); }}>
        <input aria-label="Model name to pull" placeholder="e.g. qwen2.5:1.5b" value={name} onChange={(e) => setName(e.target.value)} list="model-suggestions" spellCheck={false} disabled={running} />
        <datalist id="model-suggestions">{suggestions.map((s) => <option key={s} value={s} />)}</datalist>
        <button type="submit" className="primary" disabled={!valid || running || disabled}>Pull</button>
        {running && <button type="button" className="danger" onClick={() => pullStore.getState().cancel()}>Cancel</button>}
      </form>
      {name && !valid && <small className="field-error">A model name such as qwen2.5:1.5b</small>}
      {running && (
        <div className="pull-progress" data-testid="pull-progress">
          <progress max={progress?.totalBytes || 1} value={progress?.completedBytes ?? 0} aria-label={`Pulling ${pulling}`} data-percent={percent ?? 0} />
          <span role="status" aria-live="polite">
            {pulling}: {progress?.status ?? 'starting'}{progress && progress.totalBytes > 0 ? ` · ${formatBytes(progress.completedBytes)} of ${formatBytes(progress.totalBytes)} (${percent}%)` : ''}
          </span>
        </div>
      )}
      {!running && outcome?.kind === 'success' && <div className="notice tone-ok" role="status">Pulled {outcome.name}. Approve it below to let plugins use it.</div>}
      {!running && outcome?.kind === 'cancelled' && <div className="notice" role="status">Cancelled the pull of {outcome.name}; Ollama keeps what it downloaded for next time.</div>}
      {!running && outcome?.kind === 'error' && <ErrorBanner error={outcome.error} />}
    </section>
  );
}
