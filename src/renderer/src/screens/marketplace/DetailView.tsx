import { useEffect, useState } from 'react';
import type { MarketDetail } from '../../../../shared/api/schemas/marketplace.ts';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { ownerName, youToo } from '../../../../shared/owner-label.ts';
import { api } from '../../api/client.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';
import { ErrorBanner, Loading } from '../../components/States.tsx';
import { formatAgo, formatCount } from '../../format.ts';
import { shareableLink } from '../../links.ts';
import { marketStore, showInAddress } from '../../stores/market.ts';
import { useUi } from '../../stores/ui.ts';
import { useData } from '../../use-data.ts';
import { openWorkspacePlugin } from '../builder/open-in-builder.ts';
import { openInRunner } from '../runner/open-in-runner.ts';
import { ConsentDialog } from './ConsentDialog.tsx';
import { Declarations } from './Declarations.tsx';
import { SignatureBadge } from './PluginCard.tsx';
import { VersionFiles } from './VersionFiles.tsx';
import { YankDialog } from './YankDialog.tsx';

type Notice = { tone: 'ok' | 'error'; text: string } | undefined;

/**
 * One plugin: its code read-only, its versions, what it declares; install, update, run, copy, uninstall.
 * `askInstall` (a revoked plugin's fix) opens the install consent at once: the user still sees and confirms what that version declares.
 */
export function DetailView({ name, version, askInstall }: { name: string; version?: string; askInstall?: boolean }): React.JSX.Element {
  const theme = useUi((s) => s.theme);
  const appLimits = useUi((s) => s.appInfo?.limits);
  // Read again after an install, update, uninstall, yank or publish, made here or anywhere else.
  const detail = useData(() => api().call('market.details', { name, ...(version ? { version } : {}) }), [name, version], { refreshOn: ['market.changed', 'library.changed'] });
  const [consent, setConsent] = useState(askInstall === true);
  const [yanking, setYanking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>();
  const [failure, setFailure] = useState<ErrorInfo>();
  useEffect(() => {
    showInAddress({ name, ...(version ? { version } : {}) });
    return () => showInAddress(undefined);
  }, [name, version]);

  const act = async (work: () => Promise<string | undefined>): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    setNotice(undefined);
    try {
      const text = await work();
      if (text) setNotice({ tone: 'ok', text });
    } catch (error) {
      setFailure(errorInfoOf(error));
    } finally {
      setBusy(false);
    }
  };

  const back = <button type="button" onClick={() => marketStore.getState().closeDetail()}>← All plugins</button>;
  if (detail.error && !detail.data) return <section className="detail">{back}<ErrorBanner error={detail.error} onRetry={detail.reload} /></section>;
  if (!detail.data) return <section className="detail">{back}<Loading label={`Loading ${name}…`} /></section>;
  const data = detail.data;
  const { plugin, selected, installed } = data;

  const install = (): Promise<void> => act(async () => {
    await api().call('market.install', { name, version: selected.version, sha256: selected.sha256 });
    setConsent(false);
    return `${installed ? 'Updated' : 'Installed'} ${name} ${selected.version}. Run it from here or from the Runner.`;
  });
  // The dialog closes first: a refusal (not the owner, offline) shows in the page, not behind a modal.
  const yank = (reason: string): Promise<void> => {
    setYanking(false);
    return act(async () => {
      await api().call('market.yank', { name, version: selected.version, reason });
      return `Yanked ${selected.version}.`;
    });
  };

  return (
    <section className="detail" aria-labelledby="detail-title">
      <div className="toolbar">{back}</div>
      <header className="detail-header">
        <h2 id="detail-title">{plugin.name} <small>{selected.version}</small></h2>
        <SignatureBadge verified={selected.verified} fingerprint={selected.fingerprint} />
        {selected.yanked && <span className="badge tone-error">Yanked{selected.yankReason ? `: ${selected.yankReason}` : ''}</span>}
        <button type="button" className="link" onClick={() => void act(() => copyLink(plugin.name, selected.version))}>Copy link</button>
      </header>
      <p>{plugin.description}</p>
      <p className="meta">by <strong>{ownerName(plugin)}</strong>{plugin.ownerName && plugin.ownerRole ? <> (role <code>{plugin.ownerRole}</code>)</> : null}{youToo(plugin)} · key <code>{selected.fingerprint}</code> · ⬇ {formatCount(plugin.downloads)} · updated {formatAgo(plugin.updatedAt)}</p>
      {!selected.verified && selected.problem && <div className="state state-error" role="alert">Do not install: {selected.problem}</div>}
      <Actions data={data} busy={busy} onInstall={() => setConsent(true)} onYank={() => setYanking(true)} act={act} />
      {notice && <div className={`notice tone-${notice.tone}`} role="status">{notice.text}</div>}
      {failure && <ErrorBanner error={failure} />}
      <div className="detail-body">
        <div className="detail-code">
          <h3>Code <small>(read-only)</small></h3>
          <VersionFiles key={selected.version} name={plugin.name} version={selected} theme={theme} />
        </div>
        <div className="detail-side">
          <h3>It declares</h3>
          <Declarations version={selected} appLimits={appLimits} />
          <h3>Versions</h3>
          <ol className="versions" aria-label="Versions">
            {data.versions.map((v) => (
              <li key={v.version}>
                <button type="button" className={`link ${v.version === selected.version ? 'current' : ''}`} aria-current={v.version === selected.version}
                  onClick={() => marketStore.getState().openDetail(name, v.version)}>{v.version}</button>
                {' '}<small>{formatAgo(v.createdAt)}{v.yanked ? ` · yanked${v.yankReason ? `: ${v.yankReason}` : ''}` : ''}{installed?.version === v.version ? ' · installed' : ''}</small>
              </li>
            ))}
          </ol>
        </div>
      </div>
      {consent && <ConsentDialog detail={data} busy={busy} onConfirm={() => void install()} onCancel={() => setConsent(false)} />}
      {yanking && <YankDialog name={name} version={selected.version} busy={busy} onConfirm={(reason) => void yank(reason)} onCancel={() => setYanking(false)} />}
    </section>
  );
}

interface ActionsProps {
  data: MarketDetail;
  busy: boolean;
  onInstall(): void;
  onYank(): void;
  act(work: () => Promise<string | undefined>): Promise<void>;
}

function Actions({ data, busy, onInstall, onYank, act }: ActionsProps): React.JSX.Element {
  const { plugin, selected, installed, versions } = data;
  const order = (v: string): number => versions.findIndex((item) => item.version === v);
  const newer = installed !== null && installed.version !== selected.version && order(selected.version) < order(installed.version);
  const canInstall = !selected.yanked && selected.verified;
  const fork = (): Promise<void> => act(async () => {
    const copy = await api().call('market.fork', { name: plugin.name, version: selected.version });
    await openWorkspacePlugin(copy.name);
    return undefined;
  });
  const uninstall = (): Promise<void> => act(async () => {
    if (!window.confirm(`Uninstall ${plugin.name}?`)) return undefined;
    await api().call('market.uninstall', { name: plugin.name });
    return `Uninstalled ${plugin.name}.`;
  });
  return (
    <div className="toolbar detail-actions" role="toolbar" aria-label="Plugin actions">
      {!installed && <button type="button" className="primary" disabled={busy || !canInstall} onClick={onInstall}>Install {selected.version}</button>}
      {newer && <button type="button" className="primary" disabled={busy || !canInstall} onClick={onInstall}>Update to {selected.version}</button>}
      {installed && <button type="button" disabled={busy || installed.revoked} onClick={() => openInRunner({ source: 'installed', name: plugin.name })}>▶ Run</button>}
      <button type="button" disabled={busy} onClick={() => void fork()} title="A copy you own, in your workspace">Open in Builder</button>
      {installed && <button type="button" className="danger" disabled={busy} onClick={() => void uninstall()}>Uninstall</button>}
      {plugin.mine && !selected.yanked && <button type="button" className="danger" disabled={busy} onClick={onYank}>Yank {selected.version}</button>}
      {installed && <small>Installed: {installed.version}{installed.revoked ? ' (revoked)' : ''}{installed.updateAvailable && !newer ? ` · ${installed.latestKnown} available` : ''}</small>}
    </div>
  );
}

/** Copies the link that opens this version's page (the page's address, or the desktop app's wasmforge:// link) and says which. */
async function copyLink(name: string, version: string): Promise<string> {
  const link = shareableLink({ name, version }, { desktop: Boolean(window.wasmforge), origin: window.location.origin, pathname: window.location.pathname });
  await navigator.clipboard.writeText(link).catch(() => undefined);
  return `Link to this page: ${link}`;
}
