import { useEffect, useMemo, useState } from 'react';
import type { PluginRef, PluginSummary } from '../../../../shared/api/schemas/plugins.ts';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { api } from '../../api/client.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';
import { registerCommands } from '../../commands.ts';
import { RunPanes } from '../../components/RunPanes.tsx';
import { Empty, ErrorBanner, Loading } from '../../components/States.tsx';
import { runnerRun, useRun } from '../../stores/run.ts';
import { runnerStore, useRunner } from '../../stores/runner.ts';
import { uiStore, useUi } from '../../stores/ui.ts';
import { useData } from '../../use-data.ts';
import { HistoryList } from './HistoryList.tsx';
import { InputByType } from './InputByType.tsx';
import { jsonProblem } from '../../json-problem.ts';
import { OutputActions } from './OutputActions.tsx';
import { InstalledNotices } from '../../components/InstalledNotices.tsx';
import { replayMode } from '../builder/replay-mode.ts';
import { ReplayToggle } from '../builder/Toolbar.tsx';

const sameRef = (a?: PluginRef, b?: PluginRef): boolean => a?.name === b?.name && a?.source === b?.source;

/** Pick a plugin, give it its input, run it, keep and reopen past runs. */
export function RunnerScreen(): React.JSX.Element {
  const selected = useRunner((s) => s.selected);
  const json = useRunner((s) => s.json);
  const file = useRunner((s) => s.file);
  const view = useRun(runnerRun, (s) => s.view);
  const limits = useUi((s) => s.appInfo?.limits);
  const plugins = useData(() => api().call('plugins.list', {}), [], { refreshOn: ['library.changed'] });
  const detail = useData(() => (selected ? api().call('plugins.get', selected) : Promise.resolve(undefined)), [selected?.name, selected?.source], { refreshOn: ['library.changed'] });
  const [onlyThis, setOnlyThis] = useState(false);
  // Read again once a run is in the history (history.changed), not when this window's run ends: it is kept just after.
  const history = useData(() => api().call('runs.history', { limit: 50, ...(onlyThis && selected ? { pluginName: selected.name } : {}) }), [onlyThis, selected?.name], { refreshOn: ['history.changed'] });

  const current = plugins.data?.find((p) => sameRef(p, selected));
  const [reopenFailure, setReopenFailure] = useState<ErrorInfo>();
  const notReady = current?.inputType === 'json' ? jsonProblem(json) : current?.inputType === 'file' && !file ? 'Choose a file first' : undefined;
  const run = (): void => void runSelected(current);
  const cancel = (): void => runnerRun.getState().cancel();
  useEffect(() => registerCommands({ run, cancel }));
  const manifestLimits = detail.data?.manifest.limits;
  const effectiveLimits = useMemo(() => limits && { ...limits, ...Object.fromEntries(Object.entries(manifestLimits ?? {}).filter(([k, v]) => v !== undefined && v < limits[k as keyof typeof limits])) }, [limits, manifestLimits]);

  const reopen = async (id: string): Promise<void> => {
    setReopenFailure(undefined);
    const record = await api().call('runs.get', { id }).catch((error: unknown) => void setReopenFailure(errorInfoOf(error)));
    if (!record) return;
    runnerRun.getState().show(record);
    const match = plugins.data?.find((p) => p.name === record.pluginName);
    if (match) runnerStore.getState().select({ source: match.source, name: match.name });
    if (match?.inputType === 'json') runnerStore.getState().setJson(record.input);
    else if (!match || match.inputType === 'text') runnerStore.getState().setText(record.input);
  };

  return (
    <div className="runner">
      <nav className="plugin-list" aria-label="Plugins">
        <h2>Plugins</h2>
        <PluginList plugins={plugins} selected={selected} onSelect={(ref) => { runnerStore.getState().select(ref); runnerRun.getState().reset(); }} />
      </nav>
      <main className="runner-main">
        {!current ? <Empty title="Pick a plugin">Choose one on the left to run it.</Empty> : (
          <>
            <header className="plugin-header">
              <h2>{current.name} <small>{current.version} · {current.source}</small></h2>
              {current.description && <p>{current.description}</p>}
            </header>
            {current.source === 'installed' && <InstalledNotices only={current.name} />}
            <InputByType type={current.inputType} hint={current.inputHint} maxBytes={limits?.inputBytes ?? 1024 * 1024} />
            <div className="toolbar">
              <button type="button" className="primary" onClick={run} disabled={view.status === 'running' || Boolean(notReady)} title={notReady ?? 'Run (Ctrl/⌘+Enter)'}>▶ Run</button>
              <button type="button" className="danger" onClick={cancel} disabled={view.status !== 'running'} title="Cancel (Esc)">Cancel</button>
              {/* A workspace plugin's test cases can answer its AI calls (no Ollama needed); installed copies carry none. */}
              {current.source === 'workspace' && <ReplayToggle />}
            </div>
          </>
        )}
        {(current || view.status !== 'idle') && <RunPanes view={view} limits={effectiveLimits} actions={<OutputActions view={view} name={current?.name ?? 'run'} />} />}
      </main>
      <aside className="history-column" aria-label="History">
        <h2>History</h2>
        <label className="check"><input type="checkbox" checked={onlyThis} onChange={(e) => setOnlyThis(e.target.checked)} disabled={!selected} /> This plugin only</label>
        {reopenFailure && <ErrorBanner error={reopenFailure} />}
        <HistoryList history={history} latest={onlyThis && view.record?.pluginName !== selected?.name ? undefined : view.record} openId={view.record?.id} onOpen={(id) => void reopen(id)} />
      </aside>
    </div>
  );
}

function PluginList({ plugins, selected, onSelect }: { plugins: ReturnType<typeof useData<PluginSummary[]>>; selected?: PluginRef; onSelect(ref: PluginRef): void }): React.JSX.Element {
  const [filter, setFilter] = useState('');
  if (plugins.error) return <ErrorBanner error={plugins.error} onRetry={plugins.reload} />;
  if (!plugins.data) return <Loading label="Loading plugins…" />;
  if (plugins.data.length === 0) {
    return <Empty title="No plugins yet"><button type="button" onClick={() => uiStore.getState().setScreen('builder')}>Write one in the Builder</button></Empty>;
  }
  const shown = plugins.data.filter((p) => `${p.name} ${p.description} ${p.tags.join(' ')}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <>
      <input type="search" aria-label="Filter plugins" placeholder="Filter…" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <ul>
        {shown.map((p) => (
          <li key={`${p.source}:${p.name}`}>
            <button type="button" className={sameRef(p, selected) ? 'current' : ''} aria-current={sameRef(p, selected)} onClick={() => onSelect({ source: p.source, name: p.name })}>
              <span className="name">{p.name}</span> <small>{p.version} · {p.source}</small>
              {p.description && <span className="description">{p.description}</span>}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

async function runSelected(plugin: PluginSummary | undefined): Promise<void> {
  if (!plugin) return;
  const { text, json, file } = runnerStore.getState();
  if ((plugin.inputType === 'json' && jsonProblem(json)) || (plugin.inputType === 'file' && !file)) return;
  const input = plugin.inputType === 'json' ? json : plugin.inputType === 'file' ? file?.value ?? '' : text;
  const replayTests = plugin.source === 'workspace' && replayMode.getState().on;
  await runnerRun.getState().start({ plugin: { source: plugin.source, name: plugin.name }, input, ...(replayTests ? { replayTests } : {}) });
}
