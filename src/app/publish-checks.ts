import { assertVersionGreater, type Marketplace, type PluginDetails } from '../marketplace/index.ts';
import { toErrorInfo, WasmForgeError } from '../shared/errors.ts';

/** What the version step found: a line for the dialog, and whether it could ask the marketplace at all. */
export interface VersionCheck {
  detail: string;
  skipped: boolean;
}

/**
 * Checks before anything is signed or sent, so each refusal gets a clear message of its own:
 * the name belongs to someone else (taken, or not yours to publish over), or the version is not
 * greater than what is published or still waiting in the outbox (the marketplace's one version
 * rule). The database checks all of it again on delivery; this is for the dialog's "version" step.
 */
export async function checkVersion(market: Marketplace, name: string, version: string, installedHere: boolean): Promise<VersionCheck> {
  await market.outbox.assertGreaterThanQueued(name, version);
  let published: PluginDetails | null;
  try {
    // Only a missing plugin is a new one: a database with no marketplace is NOT_FOUND too (missing: marketplace).
    published = await market.details(name).catch((error: unknown) => {
      const info = toErrorInfo(error);
      if (info.code === 'NOT_FOUND' && info.details?.missing === 'plugin') return null;
      throw error;
    });
  } catch (error) {
    if (error instanceof WasmForgeError && error.code === 'DB_UNAVAILABLE') return { skipped: true, detail: 'The marketplace is unreachable: it checks the version on delivery' };
    throw error;
  }
  if (!published) return { skipped: false, detail: `${version}, a new plugin` };
  const me = await market.store.whoami();
  if (published.owner !== me) throw ownershipRefusal(name, published.owner, me, installedHere);
  const latest = published.versions[0]?.version;
  assertVersionGreater(name, version, latest);
  return { skipped: false, detail: latest ? `${latest} → ${version}` : version };
}

/**
 * Someone else owns the name. If this user installed their plugin, they are trying to publish
 * over it ("not the owner"); otherwise they picked a name that happens to be taken.
 */
export function ownershipRefusal(name: string, owner: string, me: string, installedHere: boolean): WasmForgeError {
  const suggestedName = `${name.slice(0, 50)}-${me}`.replace(/[^a-z0-9-]/g, '-').replace(/-+/g, '-');
  const hint = `Rename your plugin (e.g. "${suggestedName}") to publish it as your own.`;
  // The publish dialog offers the rename from these details, never from the hint's words.
  const details = { name, owner, suggestedName };
  if (installedHere) {
    return new WasmForgeError('NOT_OWNER', `You are not the owner of "${name}": it is ${owner}'s plugin, and only its owner can publish versions of it`, { hint, details });
  }
  return new WasmForgeError('ALREADY_EXISTS', `The name "${name}" is taken: ${owner} already publishes a plugin under it`, { hint, details });
}

/** What people read in search and before installing: a plugin is not published without it. */
export function requireDescription(manifest: { name: string; description: string }): void {
  if (manifest.description.trim()) return;
  throw new WasmForgeError('INVALID_MANIFEST', `${manifest.name} has no description: say in a sentence what it does, as people read it in search and before they install`, {
    hint: "Write it in the Builder's Manifest panel, or as \"description\" in plugin.json.",
  });
}
