import { z } from 'zod';
import type { AiBroker } from '../ai/broker.ts';
import type { AiProvider } from '../ai/provider.ts';
import { dataPath, resolveDataHome } from '../library/home.ts';
import { loadSettings, saveSettings, settingsSchema, type Settings } from '../library/settings.ts';
import { SandboxRuntime } from '../sandbox/index.ts';
import { WasmForgeError } from '../shared/errors.ts';
import type { PluginManifest as LibraryManifest } from '../library/manifest.ts';
import type { PluginManifest } from '../shared/api/schemas/plugins.ts';
import type { SettingsPatch } from '../shared/api/schemas/settings.ts';
import type { AppInfo } from '../shared/api/schemas/system.ts';
import type { AiBackend, AiProviderKind } from './ai-backend.ts';
import { AiCache } from './ai-cache.ts';
import { AppEvents } from './app-events.ts';
import { connectionChecks } from './connection-checks.ts';
import { HealthMonitor } from './health-monitor.ts';
import { LibraryRunHistory, type RunHistory } from './history.ts';
import { LibraryAccess } from './library-access.ts';
import { MarketplaceAccess } from './marketplace-access.ts';
import { OutboxRetrier } from './outbox-retrier.ts';
import { LibraryPluginStore, type PluginStore } from './plugin-store.ts';
import { SettingsWatch } from './settings-watch.ts';
import { WorkspaceWatch } from './workspace-watch.ts';

/** The part of the sandbox the app uses, so tests can stand in a fake. */
export type SandboxLike = Pick<SandboxRuntime, 'run' | 'checkSyntax' | 'engineStatus' | 'prepareEngine' | 'close'>;

export interface AppContextOptions {
  /** The data folder; defaults to WASMFORGE_HOME or ~/.wasmforge (Electron passes userData). */
  home?: string;
  host: AppInfo['host'];
  ai?: AiProviderKind | AiProvider;
  runtime?: SandboxLike;
  plugins?: PluginStore;
  history?: RunHistory;
  /** How often publishes waiting in the outbox are retried; WASMFORGE_OUTBOX_RETRY_MS or 15 s. */
  outboxRetryMs?: number;
  /** The sandbox a one-shot command needs is smaller than the app's: a pool of one, started by the first run. */
  sandbox?: { warmPoolSize?: number; prewarm?: boolean };
  /** This process's marketplace database instead of the configured one (`wasmforge … --url`). */
  databaseUrl?: string;
  /** A one-shot command: no background copy of the catalog for offline use (it would only be stopped at exit). */
  oneShot?: boolean;
  log?: (message: string) => void;
  /** A host whose windows open after it starts (the app's backend, `serve`): Ollama and the marketplace are checked at once, ready for the first window. */
  primeConnections?: boolean;
}

/** Everything the handlers need, built once per process (Electron main, `serve`, CLI, tests). */
export interface AppContext {
  readonly home: string;
  readonly host: AppInfo['host'];
  readonly runtime: SandboxLike;
  readonly plugins: PluginStore;
  readonly history: RunHistory;
  /** The local library database (installed plugins), opened on demand. */
  readonly library: LibraryAccess;
  /** The marketplace the settings name now, opened on demand. */
  readonly market: MarketplaceAccess;
  /** Wake it when a publish was queued: it delivers once the database is back. */
  readonly outbox: OutboxRetrier;
  /** What changed, for every client that watches (events.watch); handlers publish after each mutation. */
  readonly events: AppEvents;
  /** Ollama and the marketplace, checked in one place while someone watches. */
  readonly monitor: HealthMonitor;
  settings(): Promise<Settings>;
  updateSettings(patch: SettingsPatch): Promise<Settings>;
  /** The AI provider and catalog for the settings as they are now. */
  ai(): Promise<AiBackend>;
  /** A broker with the provider and allow-list as they are in the settings now. */
  broker(): Promise<AiBroker>;
  close(): Promise<void>;
}

// The API's mirror of plugin.json must stay the same shape as the library's (a compile error here
// otherwise). The settings need no such check: the library stores the API's schema.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const manifestMirrorMatches: Same<LibraryManifest, PluginManifest> = true;
void manifestMirrorMatches;

export async function createAppContext(options: AppContextOptions): Promise<AppContext> {
  const home = resolveDataHome(options.home);
  const ai = new AiCache(options.ai);
  const runtime = options.runtime ?? startRuntime(home, await loadSettings(home), options.sandbox);
  const library = new LibraryAccess(home);
  const market = new MarketplaceAccess(home, (code, filename) => runtime.checkSyntax(code, filename), options.databaseUrl, { oneShot: options.oneShot });
  const history = options.history ?? new LibraryRunHistory(library);
  const events = new AppEvents(options.log);
  const outbox = new OutboxRetrier(market, options.outboxRetryMs ?? intervalFromEnv('WASMFORGE_OUTBOX_RETRY_MS', DEFAULT_OUTBOX_RETRY_MS), options.log, events);
  // Publishes queued before a restart are delivered too (no database, no outbox: nothing to do).
  if (library.exists()) outbox.wake();

  const settings = () => loadSettings(home);
  const aiBackend = async () => ai.backend(await settings());
  const monitor = new HealthMonitor(connectionChecks({ home, library, market, ai: aiBackend }), events);
  if (options.primeConnections) monitor.prime();
  const workspaceWatch = new WorkspaceWatch(dataPath(home, 'workspace'), events, options.log);
  const settingsWatch = new SettingsWatch(dataPath(home, 'settings.json'), events);

  return {
    home,
    host: options.host,
    runtime,
    plugins: options.plugins ?? new LibraryPluginStore(home, library),
    history,
    library,
    market,
    outbox,
    events,
    monitor,
    settings,
    async updateSettings(patch) {
      const next = mergeSettings(await loadSettings(home), patch);
      await saveSettings(home, next);
      // Publishes waiting in the outbox follow the marketplace the settings name now (issue #10).
      if (patch.marketplace && library.exists()) outbox.wake(0);
      events.publish({ type: 'settings.changed' });
      return next;
    },
    ai: aiBackend,
    broker: async () => ai.broker(await loadSettings(home)),
    close: async () => {
      outbox.stop();
      monitor.stop();
      workspaceWatch.close();
      settingsWatch.close();
      await history.flush?.();
      await runtime.close();
      await market.close();
      await library.close();
    },
  };
}

const DEFAULT_OUTBOX_RETRY_MS = 15_000;

/** A whole number of milliseconds, at least 100, from the environment (tests shorten the waits). */
function intervalFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value >= 100 ? value : fallback;
}

/**
 * The engine and pool size are taken at start (a pool is built once); the limits are read from the
 * settings at every run, so one changed or cleared in Settings applies to the next run. Runs bring
 * their own broker (the settings' AI as it is then).
 */
function startRuntime(home: string, settings: Settings, sandbox: AppContextOptions['sandbox'] = {}): SandboxRuntime {
  const runtime = new SandboxRuntime({
    dataHome: home,
    defaultEngine: settings.sandbox.engine,
    warmPoolSize: sandbox.warmPoolSize ?? settings.sandbox.warmPoolSize,
    limits: async () => (await loadSettings(home)).sandbox.limits,
  });
  if (sandbox.prewarm !== false) runtime.prewarm();
  return runtime;
}

/** Section by section, so a patch of one field keeps its siblings; the library's schema has the last word. */
export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  const sections = Object.entries(patch).map(([name, fields]) => [name, { ...current[name as keyof SettingsPatch], ...fields }]);
  const merged = settingsSchema.safeParse({ ...current, ...Object.fromEntries(sections) });
  if (!merged.success) throw new WasmForgeError('BAD_INPUT', `Those settings are not valid: ${z.prettifyError(merged.error)}`);
  return merged.data;
}
