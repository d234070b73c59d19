import { WasmForgeError } from '../shared/errors.ts';
import { Marketplace } from './service.ts';
import { Library } from '../library/library.ts';
import { parsePluginSpec, type PluginManifest } from '../library/manifest.ts';

/** What `wasmforge run <installed-name>` (and the app's runner) needs to run an installed plugin. */
export interface RunnablePlugin {
  name: string;
  version: string;
  code: string;
  /** Its other files, verified with the code ({} for a single-file plugin). */
  files: Record<string, string>;
  /** Shown in tracebacks (`<name>.py`). */
  filename: string;
  manifest: PluginManifest;
  /** The same fields as the CLI's PluginSource, so a RunRequest can be spread from either. */
  manifestLimits: PluginManifest['limits'];
  manifestModels: string[];
}

/**
 * Loads an installed plugin for a run: asks its marketplace (briefly) whether the version was
 * yanked, then verifies sha256 and signature. Throws NOT_FOUND, TAMPERED or REVOKED.
 */
export async function resolvePluginForRun(arg: string, home?: string, options: { refresh?: boolean; databaseUrl?: string | null } = {}): Promise<RunnablePlugin> {
  const { name, version } = parsePluginSpec(arg);
  const library = await Library.open(home);
  try {
    const stored = await library.getInstalled(name);
    if (version && version !== stored.version) {
      throw new WasmForgeError('NOT_FOUND', `${name}@${version} is not installed (installed: ${stored.version})`, {
        hint: `Install it with \`wasmforge install ${name}@${version}\`.`,
      });
    }
    if (options.refresh !== false && stored.marketplace) await refreshStatus(library.home, name, stored.marketplace, options.databaseUrl);
    const copy = await library.verifiedCopy(name);
    return {
      name: copy.name, version: copy.version, code: copy.code, files: copy.files, filename: `${copy.name}.py`, manifest: copy.manifest,
      manifestLimits: copy.manifest.limits, manifestModels: copy.manifest.models,
    };
  } finally {
    await library.close();
  }
}

/** Best effort: an unreachable marketplace leaves the last known revocation status in place. */
async function refreshStatus(home: string, name: string, marketplaceId: string, databaseUrl?: string | null): Promise<void> {
  const market = await Marketplace.open({ home, databaseUrl, connectTimeoutMs: 1500 }).catch(() => null);
  if (!market) return;
  try {
    // Any failure here (offline, schema missing) keeps the last known status; verification follows anyway.
    if (market.id === marketplaceId) await market.checkUpdates(name).catch(() => undefined);
  } finally {
    await market.close();
  }
}
