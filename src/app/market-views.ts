import { readAuthorKey } from '../marketplace/signing.ts';
import type { InstalledPlugin, Marketplace, PluginSummary } from '../marketplace/index.ts';
import { WasmForgeError } from '../shared/errors.ts';
import type { MarketCard } from '../shared/api/schemas/marketplace.ts';
import type { AppContext } from './context.ts';

/** What a card needs beyond the catalog row: what is installed here and whose key this machine signs with. */
export interface CardContext {
  installed: Map<string, InstalledPlugin>;
  myFingerprint: string | null;
  /** The marketplace the cards come from: the local one has no role worth showing. */
  mode: Marketplace['mode'];
}

export async function cardContext(app: AppContext, market: Pick<Marketplace, 'mode'>): Promise<CardContext> {
  const installed = app.library.exists() ? await app.library.use((library) => library.listInstalled()) : [];
  const key = await readAuthorKey(app.home).catch(() => null);
  return { installed: new Map(installed.map((plugin) => [plugin.name, plugin])), myFingerprint: key?.fingerprint ?? null, mode: market.mode };
}

export function toCard(summary: PluginSummary, context: CardContext, verified: boolean | null): MarketCard {
  return {
    name: summary.name, owner: summary.owner, description: summary.description, tags: summary.tags,
    latestVersion: summary.latestVersion, downloads: summary.downloads, ownerFingerprint: summary.ownerFingerprint, ownerName: summary.ownerName,
    models: summary.models, createdAt: summary.createdAt, updatedAt: summary.updatedAt, verified,
    installedVersion: context.installed.get(summary.name)?.version ?? null,
    mine: context.myFingerprint !== null && summary.ownerFingerprint === context.myFingerprint,
    ownerRole: context.mode === 'shared' ? summary.owner : null,
  };
}

const VERIFY_CONCURRENCY = 4;

/**
 * "Verified" on a card: the latest version's signature checks out against the owner's registered
 * key. A published version never changes, so each answer is kept for the life of the process.
 */
export class SignatureChecks {
  private readonly known = new Map<string, boolean>();

  async verifyAll(market: Marketplace, items: PluginSummary[], offline: boolean): Promise<Array<boolean | null>> {
    const results: Array<boolean | null> = items.map((item) => this.known.get(this.key(market, item)) ?? null);
    if (offline) return results;
    const todo = items.map((item, index) => ({ item, index })).filter(({ item, index }) => results[index] === null && item.latestVersion);
    for (let start = 0; start < todo.length; start += VERIFY_CONCURRENCY) {
      await Promise.all(todo.slice(start, start + VERIFY_CONCURRENCY).map(async ({ item, index }) => {
        results[index] = await this.verify(market, item);
      }));
    }
    return results;
  }

  private async verify(market: Marketplace, item: PluginSummary): Promise<boolean | null> {
    try {
      const inspected = await market.inspect(`${item.name}@${item.latestVersion}`);
      this.known.set(this.key(market, item), inspected.verified);
      return inspected.verified;
    } catch (error) {
      if (error instanceof WasmForgeError) return null;
      throw error;
    }
  }

  private key(market: Marketplace, item: PluginSummary): string {
    return `${market.id}|${item.name}@${item.latestVersion}|${item.ownerFingerprint}`;
  }
}
