import { marketplaceHealth } from '../marketplace/index.ts';
import type { MarketStatus } from '../shared/api/schemas/marketplace.ts';
import type { AppContext } from './context.ts';
import type { ConnectionChecks } from './health-monitor.ts';

/** The same checks `models.health` and `market.status` answer with, for the health monitor. */
export function connectionChecks(app: Pick<AppContext, 'ai' | 'home' | 'library' | 'market'>): ConnectionChecks {
  return {
    ollama: async () => (await app.ai()).health(),
    market: () => marketStatus(app),
  };
}

/** Which marketplace, whether it answers, what waits for it. */
export async function marketStatus(app: Pick<AppContext, 'home' | 'library' | 'market'>): Promise<MarketStatus> {
  // A badge must not create the local database (seconds of work on first launch) just to say "nothing yet".
  const databaseUrl = await app.market.configuredUrl();
  if (!app.library.exists() && !databaseUrl) return emptyLocalStatus(app.home);
  return app.market.use(() => marketplaceHealth({ home: app.home, databaseUrl }));
}

function emptyLocalStatus(home: string): MarketStatus {
  return {
    mode: 'local', target: home, reachable: true, latencyMs: null, schema: 'current', user: null, pendingOutbox: 0,
    summary: `local marketplace in ${home} (single user; set a database URL to share)`,
  };
}
