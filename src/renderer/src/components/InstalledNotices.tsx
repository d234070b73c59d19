import { useEffect, useRef } from 'react';
import type { InstalledPluginView } from '../../../shared/api/schemas/marketplace.ts';
import { api } from '../api/client.ts';
import { useConnections } from '../stores/connections.ts';
import { marketStore } from '../stores/market.ts';
import { uiStore } from '../stores/ui.ts';
import { useData } from '../use-data.ts';

/**
 * Installed plugins that have an update or were revoked, each with its one next step (review the
 * update; install the newest good version). The marketplace is asked when this shows and it is
 * reachable (otherwise: what this machine last knew), and the list follows installs and marketplace changes.
 */
export function InstalledNotices({ only }: { only?: string }): React.JSX.Element | null {
  const installed = useData(() => api().call('market.installed', {}), [], { refreshOn: ['library.changed', 'market.changed'] });
  // Asked only of a marketplace the badge says is there (an unreachable one would only fail), once
  // each time it comes online; `reload` is a new function every render, so it is read, not depended on.
  const reachable = useConnections((state) => state.market?.reachable === true);
  const reload = useRef(installed.reload);
  useEffect(() => {
    reload.current = installed.reload;
  });
  useEffect(() => {
    if (reachable) void api().call('market.updates', {}).then(() => reload.current(), () => undefined);
  }, [reachable]);
  const notable = (installed.data ?? []).filter((plugin) => (only === undefined || plugin.name === only) && (plugin.revoked || plugin.updateAvailable));
  if (notable.length === 0) return null;
  return (
    <ul className="installed-notices" aria-label="Updates and revocations" data-testid="installed-notices">
      {notable.map((plugin) => <Notice key={plugin.name} plugin={plugin} />)}
    </ul>
  );
}

function Notice({ plugin }: { plugin: InstalledPluginView }): React.JSX.Element {
  const review = (): void => {
    marketStore.getState().openDetail(plugin.name, plugin.latestKnown ?? undefined, true);
    uiStore.getState().setScreen('marketplace');
  };
  if (plugin.revoked) {
    return (
      <li className="notice tone-error" data-testid="installed-notice" data-kind="revoked">
        <span><strong>{plugin.name} {plugin.version}</strong> was revoked by its author{plugin.revokedReason ? `: ${plugin.revokedReason}` : ''}.</span>
        {plugin.latestKnown && plugin.latestKnown !== plugin.version
          ? <button type="button" onClick={review}>Install the newest good version ({plugin.latestKnown})</button>
          : <span> No good version to move to yet.</span>}
      </li>
    );
  }
  return (
    <li className="notice tone-ok" data-testid="installed-notice" data-kind="update">
      <span><strong>{plugin.name}</strong> {plugin.version} → {plugin.latestKnown} is available.</span>
      <button type="button" onClick={review}>Review the update</button>
    </li>
  );
}
