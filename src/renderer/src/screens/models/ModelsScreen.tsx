import { useState } from 'react';
import type { ModelHealth, ModelInfo } from '../../../../shared/api/schemas/system.ts';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { api } from '../../api/client.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';
import { Empty, ErrorBanner, Loading } from '../../components/States.tsx';
import { formatBytes } from '../../run/run-view.ts';
import { uiStore } from '../../stores/ui.ts';
import { useData } from '../../use-data.ts';
import { PullPanel } from './PullPanel.tsx';
import { TextWithCode } from '../../components/TextWithCode.tsx';

/** Ollama: is it there, which models it has and has loaded, which plugins may use; pull and delete. */
export function ModelsScreen(): React.JSX.Element {
  const [tick, setTick] = useState(0);
  // Read again when the health monitor's verdict changes, when models are pulled, deleted or approved (here or
  // anywhere), and when the user asks.
  const health = useData(() => api().call('models.health', {}), [tick], { refreshOn: ['connections.changed'] });
  const models = useData(() => api().call('models.list', {}), [tick], { refreshOn: ['connections.changed', 'models.changed'] });
  const refresh = (): void => setTick((t) => t + 1);
  const missing = (models.data ?? []).filter((m) => m.approved && !m.installed).map((m) => m.name);
  return (
    <main className="models-screen" aria-labelledby="models-title">
      <h1 id="models-title">Models</h1>
      {health.error && !health.data ? <ErrorBanner error={health.error} onRetry={refresh} /> : <Connection health={health.data} loading={health.loading} onRetry={refresh} />}
      <PullPanel suggestions={missing} disabled={health.data?.reachable === false} />
      <section aria-labelledby="installed-title">
        <h2 id="installed-title">Installed or approved</h2>
        {models.error && <ErrorBanner error={models.error} onRetry={models.reload} />}
        {!models.data && !models.error ? <Loading label="Asking Ollama for its models…" /> : <ModelTable models={models.data ?? []} ollamaDown={health.data?.reachable === false} />}
      </section>
    </main>
  );
}

function Connection({ health, loading, onRetry }: { health?: ModelHealth; loading: boolean; onRetry(): void }): React.JSX.Element {
  if (!health) return <Loading label="Checking Ollama…" />;
  if (health.reachable) {
    return (
      <section className="connection tone-ok" aria-label="Ollama connection" data-testid="ollama-connection">
        <span className="dot ok" aria-hidden="true" /> Connected to <code>{health.host}</code> · Ollama {health.version}
        {health.latencyMs !== undefined && <> · {Math.round(health.latencyMs)} ms</>}
        <button type="button" onClick={onRetry} disabled={loading}>Check again</button>
      </section>
    );
  }
  return (
    <section className="connection tone-error" aria-label="Ollama connection" data-testid="ollama-connection">
      <h2><span className="dot error" aria-hidden="true" /> Ollama is not running{health.host ? <> at <code>{health.host}</code></> : ''}</h2>
      {health.reason && <p><TextWithCode text={health.reason} /></p>}
      <ul className="help">
        <li>Start it on this machine: install it from ollama.com, then run <code>ollama serve</code> (or open the Ollama app).</li>
        <li>Ollama on another machine? Put its address (e.g. <code>http://gpu-box:11434</code>) in <button type="button" className="link" onClick={() => uiStore.getState().setScreen('settings')}>Settings › Ollama host</button>, with the headers its proxy needs; or set <code>OLLAMA_HOST</code> before starting WasmForge.</li>
        <li>Plugins can still be written and tested offline with recorded answers (<code>wasmforge test</code>).</li>
      </ul>
      <button type="button" onClick={onRetry} disabled={loading}>{loading ? 'Checking…' : 'Check again'}</button>
    </section>
  );
}

/** ollamaDown: nobody could ask Ollama, so a model not listed as installed may well be (the CLI's `installed: ?`). */
function ModelTable({ models, ollamaDown }: { models: ModelInfo[]; ollamaDown: boolean }): React.JSX.Element {
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<ErrorInfo>();
  // A toggle shows its new state at once; a refused change puts it back.
  const [approving, setApproving] = useState<Record<string, boolean>>({});
  if (models.length === 0) return <Empty title="No models yet">Pull one above, e.g. qwen2.5:1.5b.</Empty>;
  const act = async (name: string, work: () => Promise<unknown>): Promise<void> => {
    setBusy(name);
    setFailure(undefined);
    try {
      await work();
    } catch (error) {
      setFailure(errorInfoOf(error));
      setApproving(({ [name]: _dropped, ...rest }) => rest);
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <>
      {failure && <ErrorBanner error={failure} />}
      <table className="model-table">
        <thead><tr><th scope="col">Model</th><th scope="col">Family</th><th scope="col">Parameters</th><th scope="col">Size</th><th scope="col">Now</th><th scope="col">Plugins may use it</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {models.map((model) => (
            <tr key={model.name} data-testid="model-row">
              <th scope="row"><code>{model.name}</code></th>
              <td>{model.family ?? '—'}</td>
              <td>{[model.parameterSize, model.quantization].filter(Boolean).join(' · ') || '—'}</td>
              <td>{model.sizeBytes ? formatBytes(model.sizeBytes) : '—'}</td>
              <td>{nowCell(model, ollamaDown)}</td>
              <td>
                <label className="check">
                  <input type="checkbox" checked={approving[model.name] ?? model.approved} disabled={busy === model.name}
                    onChange={(e) => {
                      const approved = e.target.checked;
                      setApproving((current) => ({ ...current, [model.name]: approved }));
                      void act(model.name, () => api().call('models.approve', { name: model.name, approved }));
                    }} />
                  <span className="visually-hidden">Allow plugins to use {model.name}</span>{(approving[model.name] ?? model.approved) ? 'approved' : 'off'}
                </label>
              </td>
              <td>
                {model.installed && (
                  <button type="button" className="danger" disabled={busy === model.name} aria-label={`Delete ${model.name}`}
                    onClick={() => window.confirm(`Delete ${model.name} from Ollama?`) && void act(model.name, () => api().call('models.delete', { name: model.name }))}>Delete</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function nowCell(model: ModelInfo, ollamaDown: boolean): React.JSX.Element {
  if (model.installed) return model.loaded ? <span className="badge tone-ok">loaded</span> : <small>idle</small>;
  if (ollamaDown) return <small title="Ollama is not running, so whether this model is installed is not known">unknown</small>;
  return <span className="badge tone-busy">not installed</span>;
}
