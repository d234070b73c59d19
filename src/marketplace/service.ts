import { WasmForgeError, type ErrorInfo } from '../shared/errors.ts';
import { loadSettings } from '../library/settings.ts';
import { resolveDataHome } from '../library/home.ts';
import { openLocalDatabase, type LocalDatabase } from '../library/local-db.ts';
import { getInstalled, saveInstalled, type InstalledPlugin } from '../library/installed.ts';
import { parsePluginSpec } from '../library/manifest.ts';
import { makeBundle, readBundle, unverifiedOwner, writeBundle, type PluginBundle } from './bundle.ts';
import { CatalogCopier, DEFAULT_CATALOG_COPY, cacheSummaries, forgetCached, searchCache, type CatalogCopyBounds } from './catalog-cache.ts';
import { databaseAddress, describeDatabaseUrl, openPgPool } from './db/connect.ts';
import { isMissingDatabase, missingDatabase, toMarketplaceError } from './db/errors.ts';
import type { SqlExecutor } from './db/executor.ts';
import { migrate } from './db/migrate.ts';
import { MARKETPLACE_MIGRATIONS } from './db/schema.ts';
import { inspectVersion, installFromStore, refreshInstalled, type InspectedVersion, type InstallOptions, type UpdateStatus } from './install.ts';
import { Outbox, type FlushReport, type OutboxItem } from './outbox.ts';
import { preparePublication, type CheckSyntax } from './publish.ts';
import { loadOrCreateAuthorKey, signProof } from './signing.ts';
import { MarketplaceStore, type ProveKey } from './store.ts';
import type { PluginDetails, PublishOutcome, SearchPage, SearchQuery } from './types.ts';

export interface MarketplaceOptions {
  /** The data folder; WASMFORGE_HOME or ~/.wasmforge when omitted. */
  home?: string;
  /** A PostgreSQL URL; null forces the local PGlite marketplace; omitted: settings, then DATABASE_URL. */
  databaseUrl?: string | null;
  /** The sandbox's syntax check, required to publish or export a workspace folder. */
  checkSyntax?: CheckSyntax;
  /** Replaces the connection to the shared database (tests wrap it to cut it mid-transaction). */
  executor?: SqlExecutor;
  connectTimeoutMs?: number;
  /** How often and how far the offline copy of the catalog is refreshed (tests shorten it); false: never (one-shot use). */
  catalogCopy?: Partial<CatalogCopyBounds> | false;
}

/** Where the marketplace lives: a shared PostgreSQL, or the local PGlite database (single user). */
export type MarketplaceMode = 'shared' | 'local';

/** The local marketplace's id: what its outbox items, cached catalog and installed copies are marked with. */
export const LOCAL_MARKETPLACE_ID = 'local';

export class Marketplace {
  readonly outbox: Outbox;
  /** The offline copy of a shared marketplace's catalog; null when there is none to make. */
  private readonly catalog: CatalogCopier | null;
  private schemaReady: Promise<void> | null = null;

  private constructor(
    readonly home: string,
    readonly mode: MarketplaceMode,
    /** Names this marketplace in the outbox, the cache and installed copies (no password). */
    readonly id: string,
    readonly store: MarketplaceStore,
    private readonly local: LocalDatabase,
    private readonly checkSyntax: CheckSyntax | undefined,
    catalogCopy: Partial<CatalogCopyBounds> | false,
  ) {
    this.outbox = new Outbox(local.db, id);
    this.catalog = catalogCopy === false ? null : new CatalogCopier(store, local.db, id, { ...DEFAULT_CATALOG_COPY, ...catalogCopy });
  }

  static async open(options: MarketplaceOptions = {}): Promise<Marketplace> {
    const home = resolveDataHome(options.home);
    const databaseUrl = options.databaseUrl === undefined ? await configuredDatabaseUrl(home) : options.databaseUrl;
    const local = await openLocalDatabase(home);
    const prove = keyProver(home);
    if (!databaseUrl) return new Marketplace(home, 'local', LOCAL_MARKETPLACE_ID, new MarketplaceStore(local.db, prove), local, options.checkSyntax, false);
    const executor = options.executor ?? openPgPool(databaseUrl, { connectTimeoutMs: options.connectTimeoutMs });
    const store = new MarketplaceStore(executor, prove, databaseAddress(databaseUrl));
    return new Marketplace(home, 'shared', describeDatabaseUrl(databaseUrl), store, local, options.checkSyntax,
      options.catalogCopy ?? {});
  }

  /**
   * Creates or upgrades the marketplace schema once per instance (a no-op when it is current). Every
   * read and publish passes here first, so a URL to a database that does not exist fails here with
   * NOT_FOUND; later store calls keep calling it DB_UNAVAILABLE (a database dropped under a running
   * app), so that no caller mistakes it for "no such plugin".
   */
  async ready(): Promise<void> {
    this.schemaReady ??= migrate(this.store.db, MARKETPLACE_MIGRATIONS).then(() => undefined, (error: unknown) => {
      this.schemaReady = null;
      throw isMissingDatabase(error) ? missingDatabase(this.id, error) : toMarketplaceError(error, 'prepare the marketplace schema', this.store.target);
    });
    return this.schemaReady;
  }

  /**
   * Checks, signs, queues and delivers one plugin folder; "queued" when the database is unreachable.
   * A database that does not exist refuses it before it is queued: no retry would ever deliver it.
   */
  async publish(dir: string): Promise<PublishOutcome> {
    if (!this.checkSyntax) throw new WasmForgeError('ENGINE_UNAVAILABLE', 'Publishing needs the sandbox to check the syntax');
    const signed = await preparePublication(this.home, dir, this.checkSyntax);
    await this.outbox.assertGreaterThanQueued(signed.name, signed.version);
    await this.ready().catch(unlessUnavailable);
    const publishId = await this.outbox.enqueue(signed);
    await this.outbox.flush(this.store, { all: true });
    const item = await this.outbox.get(publishId);
    const common = { name: signed.name, version: signed.version, fingerprint: signed.fingerprint, publishId };
    if (item?.status === 'delivered') return { status: 'published', ...common };
    if (item?.status === 'failed' && item.lastError) throw errorFromInfo(item.lastError);
    return { status: 'queued', ...common, reason: item?.lastError?.message ?? 'the marketplace is unreachable' };
  }

  /** Shows this author's display name (Settings › Author identity) on their cards; best effort, as it changes no code. */
  async shareDisplayName(name: string): Promise<void> {
    await this.ready();
    await this.store.setDisplayName(name).catch(() => undefined);
  }

  /** The same, failing with the typed error; false when this login has not published here yet (nothing to name). */
  async setDisplayName(name: string): Promise<boolean> {
    await this.ready();
    return this.store.setDisplayName(name);
  }

  /** Delivers queued publications (only those due, unless `all`); safe to call at any time. */
  async flushOutbox(options: { all?: boolean } = {}): Promise<FlushReport> {
    await this.ready().catch(unlessUnavailable);
    return this.outbox.flush(this.store, options);
  }

  async outboxItems(): Promise<OutboxItem[]> {
    return this.outbox.list();
  }

  /** Search the catalog; offline, the cached copy answers, with why in `offline`. */
  async search(query: SearchQuery = {}): Promise<SearchPage> {
    try {
      await this.ready();
      const page = await this.store.search(query);
      if (this.mode === 'shared') {
        await cacheSummaries(this.local.db, this.id, page.items);
        // The marketplace answered: copy the whole catalog for offline use, in the background, at most every few minutes.
        this.catalog?.trigger();
      }
      return page;
    } catch (error) {
      if (this.mode === 'shared' && error instanceof WasmForgeError && error.code === 'DB_UNAVAILABLE') {
        return searchCache(this.local.db, this.id, query, { reason: error.message, ...(error.hint ? { hint: error.hint } : {}) });
      }
      throw error;
    }
  }

  async details(name: string): Promise<PluginDetails> {
    await this.ready();
    return this.store.details(name);
  }

  /** Settles when no background copy of the catalog is under way. */
  async catalogSettled(): Promise<void> {
    await this.catalog?.settled();
  }

  /** Installs `name` or `name@version` (the newest good version by default); verifies before saving. */
  async install(spec: string, options: InstallOptions = {}): Promise<InstalledPlugin> {
    const { name, version } = parsePluginSpec(spec);
    await this.ready();
    return installFromStore(this.store, this.local.db, this.id, name, { ...options, version: version ?? options.version });
  }

  /** A version's code, manifest (models, limits) and signature check, without installing it. */
  async inspect(spec: string): Promise<InspectedVersion> {
    const { name, version } = parsePluginSpec(spec);
    await this.ready();
    return inspectVersion(this.store, name, version);
  }

  /** Refreshes "update available" and revocations for installed copies from this marketplace. */
  async checkUpdates(name?: string): Promise<UpdateStatus[]> {
    await this.ready();
    return refreshInstalled(this.store, this.local.db, this.id, name);
  }

  /** Yanks one of your versions; installed copies of it then refuse to run with REVOKED. */
  async yank(spec: string, reason: string): Promise<void> {
    const { name, version } = parsePluginSpec(spec);
    if (!version) throw new WasmForgeError('BAD_INPUT', 'Name the version to yank, e.g. my-plugin@1.0.0');
    await this.ready();
    await this.store.yank(name, version, reason);
  }

  /** Hides your plugin from the marketplace and yanks every version; the name stays yours. */
  async unpublish(name: string): Promise<void> {
    await this.ready();
    await this.store.unpublish(parsePluginSpec(name).name);
    await forgetCached(this.local.db, this.id, name);
  }

  /** Writes a signed bundle of an installed plugin (its author's signature) or of a workspace folder (yours). */
  async exportBundle(source: { installed: string } | { dir: string }, path: string): Promise<PluginBundle> {
    let bundle: PluginBundle;
    if ('installed' in source) {
      const copy = await getInstalled(this.local.db, parsePluginSpec(source.installed).name);
      bundle = makeBundle(copy, copy.owner);
    } else {
      if (!this.checkSyntax) throw new WasmForgeError('ENGINE_UNAVAILABLE', 'Exporting a folder needs the sandbox to check the syntax');
      const signed = await preparePublication(this.home, source.dir, this.checkSyntax);
      bundle = makeBundle(signed, `key ${signed.fingerprint}`);
    }
    await writeBundle(path, bundle);
    return bundle;
  }

  /** Verifies and installs a bundle file, as signed by its key only (its claimed owner is not believed). */
  async importBundle(path: string, options: { trustNewKey?: boolean } = {}): Promise<InstalledPlugin> {
    const bundle = await readBundle(path);
    return saveInstalled(this.local.db, { ...bundle, owner: unverifiedOwner(bundle.fingerprint), source: 'bundle', marketplace: null,
      latestKnown: bundle.version }, options);
  }

  /** The author identity used to sign: created on first use. */
  async identity(): Promise<{ publicKey: string; fingerprint: string }> {
    const key = await loadOrCreateAuthorKey(this.home);
    return { publicKey: key.publicKey, fingerprint: key.fingerprint };
  }

  /** Lets go of both databases; a background copy of the catalog is stopped, not waited for. */
  async close(): Promise<void> {
    const copyStopped = await this.catalog?.stop();
    if (this.mode === 'shared') {
      const disconnected = this.store.db.close().catch(() => undefined);
      // The stopped copy's page read may still be in flight: the pool ends when it returns, unwaited.
      if (!copyStopped) await disconnected;
    }
    await this.local.release();
  }
}

/** Proves to the database that this data folder holds the author key a publication is signed with. */
function keyProver(home: string): ProveKey {
  return async (role, nonce, publicKey) => {
    const key = await loadOrCreateAuthorKey(home);
    if (key.publicKey !== publicKey) {
      throw new WasmForgeError('NOT_OWNER', `This data folder's author key is ${key.fingerprint}, not the key this publication was signed with`, {
        hint: 'Publish again from the data folder that holds that key.',
      });
    }
    return signProof(key, role, nonce);
  };
}

export async function configuredDatabaseUrl(home: string): Promise<string | null> {
  const settings = await loadSettings(home);
  return settings.marketplace.databaseUrl || process.env.DATABASE_URL || null;
}

/** An unreachable database is no reason to stop: the outbox keeps what is published meanwhile. */
function unlessUnavailable(error: unknown): void {
  if (!(error instanceof WasmForgeError && error.code === 'DB_UNAVAILABLE')) throw error;
}

function errorFromInfo(info: ErrorInfo): WasmForgeError {
  return new WasmForgeError(info.code, info.message, info.hint ? { hint: info.hint } : undefined);
}
