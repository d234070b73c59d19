import { configuredDatabaseUrl, Marketplace, type CheckSyntax } from '../marketplace/index.ts';
import { OnDemand } from './on-demand.ts';

/** The app answers a person waiting on a screen: an unreachable database should say so within seconds. */
const CONNECT_TIMEOUT_MS = 3000;

/**
 * The marketplace the settings name now, opened on demand and let go when idle (it holds the local
 * database). A changed database URL in the settings takes effect on the next call.
 */
export class MarketplaceAccess {
  private readonly handle: OnDemand<string | null, Marketplace>;

  /**
   * `databaseUrl`: this process's marketplace, whatever the settings say (`wasmforge … --url`).
   * `oneShot`: a single command that closes right after its work, so no background copy of the
   * catalog for offline use is started (it would only be stopped).
   */
  constructor(private readonly home: string, checkSyntax: CheckSyntax, private readonly databaseUrl?: string,
    options: { oneShot?: boolean } = {}) {
    this.handle = new OnDemand((url) => Marketplace.open({
      home, databaseUrl: url, checkSyntax, connectTimeoutMs: CONNECT_TIMEOUT_MS, catalogCopy: options.oneShot ? false : undefined,
    }));
  }

  /** The database the next call uses (null: the local marketplace). */
  async configuredUrl(): Promise<string | null> {
    return this.databaseUrl || (await configuredDatabaseUrl(this.home));
  }

  use<T>(work: (market: Marketplace) => Promise<T>): Promise<T> {
    return this.handle.use(() => this.configuredUrl(), work);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}
