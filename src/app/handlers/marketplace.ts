import { LOCAL_MARKETPLACE_ID, type InspectedVersion, type InstalledPlugin, type Marketplace } from '../../marketplace/index.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { InstalledPluginView, MarketDetail } from '../../shared/api/schemas/marketplace.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import { marketStatus } from '../connection-checks.ts';
import type { AppContext } from '../context.ts';
import { forkToWorkspace } from '../fork.ts';
import { cardContext, SignatureChecks, toCard } from '../market-views.ts';
import { installedSummary, toApiManifest } from '../plugin-store.ts';

type MarketRoutes = 'market.status' | 'market.search' | 'market.details' | 'market.install' | 'market.uninstall' | 'market.installed'
  | 'market.updates' | 'market.fork' | 'market.yank' | 'market.unpublish' | 'market.outbox' | 'market.retry';

export function marketplaceHandlers(app: AppContext): Pick<ApiHandlers, MarketRoutes> {
  const signatures = new SignatureChecks();
  return {
    'market.status': () => marketStatus(app),
    'market.search': (query) => app.market.use(async (market) => {
      const page = await market.search(query);
      // Served from the cached copy: the database has just been found away, so the badges hear it now.
      if (page.offline) app.monitor.wake('market');
      const [context, verified] = await Promise.all([cardContext(app, market), signatures.verifyAll(market, page.items, page.offline !== null)]);
      return { ...page, items: page.items.map((item, index) => toCard(item, context, verified[index] ?? null)) };
    }),
    'market.details': ({ name, version }) => app.market.use((market) => details(app, market, name, version)),
    'market.install': ({ name, version, sha256, trustNewKey }) => app.market.use(async (market) => {
      // The consent was given for this exact version and code; anything else is refused.
      const reviewed = await market.inspect(`${name}@${version}`);
      if (reviewed.sha256 !== sha256) throw changedSinceReview(name, version);
      const installed = await market.install(`${name}@${version}`, { trustNewKey });
      if (installed.sha256 !== sha256) {
        await app.library.use((library) => library.uninstall(name));
        throw changedSinceReview(name, version);
      }
      return installedSummary(installed);
    }),
    'market.uninstall': async ({ name }) => {
      if (!app.library.exists()) throw new WasmForgeError('NOT_FOUND', `${name} is not installed`);
      await app.library.use((library) => library.uninstall(name));
      return {};
    },
    'market.installed': async () => {
      if (!app.library.exists()) return [];
      const installed = await app.library.use((library) => library.listInstalled());
      const { displayName } = (await app.settings()).author;
      return installed.map((plugin) => toInstalledView(plugin, displayName));
    },
    'market.updates': async () => (app.library.exists() ? app.market.use((market) => market.checkUpdates()) : []),
    'market.fork': (request) => app.market.use((market) => forkToWorkspace(app, market, request)),
    'market.yank': ({ name, version, reason }) => app.market.use(async (market) => {
      await market.yank(`${name}@${version}`, reason || 'yanked by its author');
      return {};
    }),
    'market.unpublish': ({ name }) => app.market.use(async (market) => {
      await market.unpublish(name);
      return {};
    }),
    // No local database yet: nothing was ever published or queued from here.
    'market.outbox': async () => (app.library.exists() ? app.market.use((market) => market.outboxItems()) : []),
    'market.retry': () => app.market.use(async (market) => {
      const report = await market.flushOutbox({ all: true });
      const pending = (await market.outboxItems()).filter((item) => item.status === 'pending').length;
      if (pending > 0) app.outbox.wake();
      return { delivered: report.delivered.length, failed: report.failed.length, pending };
    }),
  };
}

async function details(app: AppContext, market: Marketplace, name: string, version?: string): Promise<MarketDetail> {
  const plugin = await market.details(name);
  const wanted = version ?? plugin.versions.find((v) => !v.yanked)?.version ?? plugin.versions[0]?.version;
  if (!wanted) throw new WasmForgeError('NOT_FOUND', `${name} has no versions`, { details: { missing: 'version' } });
  const [selected, context] = await Promise.all([market.inspect(`${name}@${wanted}`), cardContext(app, market)]);
  const copy = context.installed.get(name);
  return {
    plugin: toCard(plugin, context, selected.version === plugin.latestVersion ? selected.verified : null),
    versions: plugin.versions.map(({ version: v, fingerprint, yanked, yankReason, createdAt }) => ({ version: v, fingerprint, yanked, yankReason, createdAt })),
    selected: reviewed(selected),
    installed: copy ? { version: copy.version, updateAvailable: copy.updateAvailable, latestKnown: copy.latestKnown, revoked: copy.revoked } : null,
  };
}

function reviewed(version: InspectedVersion): MarketDetail['selected'] {
  return {
    version: version.version, code: version.code, files: version.files, manifest: toApiManifest(version.manifest), sha256: version.sha256,
    fingerprint: version.fingerprint, verified: version.verified, problem: version.problem, yanked: version.yanked, yankReason: version.yankReason,
  };
}

/**
 * `displayName`: this user's (Settings › Author identity), the owner of whatever the local marketplace
 * holds; its stored role is PGlite's `postgres`, which names nobody (as toCard's ownerRole).
 */
function toInstalledView(plugin: InstalledPlugin, displayName: string): InstalledPluginView {
  const { name, version, owner, fingerprint, source, revoked, revokedReason, latestKnown, updateAvailable, installedAt } = plugin;
  const local = source === 'marketplace' && plugin.marketplace === LOCAL_MARKETPLACE_ID;
  const ownerName = local ? displayName || null : null;
  const ownerRole = source === 'bundle' || local ? null : owner;
  return { name, version, owner, ownerName, ownerRole, fingerprint, origin: source, revoked, revokedReason, latestKnown, updateAvailable, installedAt };
}

function changedSinceReview(name: string, version: string): WasmForgeError {
  return new WasmForgeError('TAMPERED', `${name}@${version} is not the code you reviewed`, {
    hint: 'Open the plugin again, review what it declares, then install.',
  });
}
