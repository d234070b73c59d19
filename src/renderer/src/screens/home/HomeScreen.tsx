import type { PluginSummary } from '../../../../shared/api/schemas/plugins.ts';
import { api } from '../../api/client.ts';
import { ConnectionBadges } from '../../components/ConnectionBadges.tsx';
import { InstalledNotices } from '../../components/InstalledNotices.tsx';
import { Empty, ErrorBanner, Loading } from '../../components/States.tsx';
import { formatAgo } from '../../format.ts';
import { uiStore } from '../../stores/ui.ts';
import { useData } from '../../use-data.ts';
import { openWorkspacePlugin, startFromTemplate } from '../builder/open-in-builder.ts';
import { openInRunner } from '../runner/open-in-runner.ts';

const RECENT = 8;

/** Where the app opens: what is connected, a new plugin from a starter, and the plugins touched last. */
export function HomeScreen(): React.JSX.Element {
  const templates = useData(() => api().call('templates.list', {}));
  const plugins = useData(() => api().call('plugins.list', {}), [], { refreshOn: ['library.changed'] });
  return (
    <main className="home" aria-labelledby="home-title">
      <header className="home-header">
        <h1 id="home-title">WasmForge</h1>
        <p>Write small AI-powered Python plugins, run them in a WebAssembly sandbox, share them through the marketplace.</p>
        <ConnectionBadges />
      </header>
      <InstalledNotices />
      <section aria-labelledby="new-plugin">
        <h2 id="new-plugin">New plugin</h2>
        {templates.error && <ErrorBanner error={templates.error} onRetry={templates.reload} />}
        {!templates.data && !templates.error && <Loading label="Loading the starters…" />}
        <div className="template-grid">
          {templates.data?.map((template) => (
            <button key={template.id} type="button" className="template-card" onClick={() => void startFromTemplate(template)}
              aria-label={`New plugin from the ${template.title} template: ${template.description}`}>
              <strong>{template.title}</strong>
              <span>{template.description}</span>
              <small>{template.manifest.models.join(', ') || 'no AI'}</small>
            </button>
          ))}
        </div>
      </section>
      <section aria-labelledby="recent-plugins">
        <h2 id="recent-plugins">Recent plugins</h2>
        {plugins.error ? <ErrorBanner error={plugins.error} onRetry={plugins.reload} /> : <RecentPlugins plugins={plugins.data} />}
      </section>
    </main>
  );
}

function RecentPlugins({ plugins }: { plugins?: PluginSummary[] }): React.JSX.Element {
  if (!plugins) return <Loading label="Loading your plugins…" />;
  if (plugins.length === 0) {
    return (
      <Empty title="No plugins yet">
        Start from a template above, or <button type="button" className="link" onClick={() => uiStore.getState().setScreen('marketplace')}>browse the marketplace</button>.
      </Empty>
    );
  }
  const recent = [...plugins].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '')).slice(0, RECENT);
  return (
    <ul className="recent-list" aria-label="Recent plugins">
      {recent.map((plugin) => (
        <li key={`${plugin.source}:${plugin.name}`} className="recent-item">
          <div>
            <strong>{plugin.name}</strong> <small>{plugin.version} · {plugin.source === 'installed' ? 'installed' : 'yours'}{plugin.updatedAt ? ` · ${formatAgo(plugin.updatedAt)}` : ''}</small>
            {plugin.description && <div className="description">{plugin.description}</div>}
          </div>
          <span className="spacer" />
          {plugin.source === 'workspace' && <button type="button" onClick={() => void openWorkspacePlugin(plugin.name)} aria-label={`Open ${plugin.name} in the Builder`}>Open</button>}
          <button type="button" onClick={() => openInRunner(plugin)} aria-label={`Run ${plugin.name}`}>Run</button>
        </li>
      ))}
    </ul>
  );
}
