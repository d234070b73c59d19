import semver from 'semver';
import { WasmForgeError } from '../shared/errors.ts';
import type { UpdateStatusView } from '../shared/api/schemas/marketplace.ts';
import type { SqlQueryable } from './db/executor.ts';
import { listInstalled, recordMarketplaceStatus, saveInstalled, verifySigned, type InstalledPlugin } from '../library/installed.ts';
import type { FetchedVersion } from './types.ts';
import type { MarketplaceStore } from './store.ts';

/** Install, update check: the marketplace side of installed copies (the copies live in the local database). */
export interface InstallOptions {
  version?: string;
  /** Accept a version signed by a different key than the installed copy's (the author rotated keys). */
  trustNewKey?: boolean;
}

/** An installed plugin against the marketplace: the contract's update status (`market.updates` returns these as they are). */
export type UpdateStatus = UpdateStatusView;

export async function installFromStore(store: MarketplaceStore, local: SqlQueryable, marketplace: string, name: string,
  options: InstallOptions = {}): Promise<InstalledPlugin> {
  const fetched = await store.fetch(name, options.version);
  const latestGood = await store.latestGood(name);
  if (fetched.yanked) {
    throw new WasmForgeError('REVOKED', `${name}@${fetched.version} was revoked by its author${fetched.yankReason ? `: ${fetched.yankReason}` : ''}`, {
      hint: latestGood ? `Install the newest good version: \`wasmforge install ${name}@${latestGood}\`` : 'No good version is available.',
      details: { name, version: fetched.version, newestGood: latestGood ?? null },
    });
  }
  verifyFetched(fetched);
  const installed = await saveInstalled(local, { ...fetched, source: 'marketplace', marketplace, latestKnown: latestGood }, options);
  // Counting is best effort; the install itself already succeeded.
  await store.recordDownload(name).catch(() => undefined);
  return installed;
}

/** TAMPERED unless the code verifies *and* is signed by the key its owner registered (not merely some valid key). */
export function verifyFetched(fetched: FetchedVersion): void {
  if (!fetched.publicKey || fetched.publicKey !== fetched.ownerPublicKey) {
    throw new WasmForgeError('TAMPERED', `${fetched.name}@${fetched.version} is not signed by the key of its owner ${fetched.owner}`, {
      hint: 'Do not install it; tell the marketplace administrator.',
    });
  }
  verifySigned(fetched);
}

/** A version to look at before installing (detail view, consent): its code, manifest and whether it verifies. */
export interface InspectedVersion extends FetchedVersion {
  verified: boolean;
  problem: string | null;
}

export async function inspectVersion(store: MarketplaceStore, name: string, version?: string): Promise<InspectedVersion> {
  const fetched = await store.fetch(name, version);
  try {
    verifyFetched(fetched);
    return { ...fetched, verified: true, problem: null };
  } catch (error) {
    return { ...fetched, verified: false, problem: (error as Error).message };
  }
}

/** Asks the marketplace about every copy installed from it: newer good version? this version yanked? */
export async function refreshInstalled(store: MarketplaceStore, local: SqlQueryable, marketplace: string, only?: string): Promise<UpdateStatus[]> {
  const copies = (await listInstalled(local)).filter((copy) => copy.marketplace === marketplace && (!only || copy.name === only));
  const statuses: UpdateStatus[] = [];
  for (const copy of copies) statuses.push(await refreshOne(store, local, copy));
  return statuses;
}

async function refreshOne(store: MarketplaceStore, local: SqlQueryable, copy: InstalledPlugin): Promise<UpdateStatus> {
  const versions = await store.versions(copy.name).catch((error: unknown) => {
    if (error instanceof WasmForgeError && error.code === 'NOT_FOUND') return [];
    throw error;
  });
  const mine = versions.find((version) => version.version === copy.version);
  const latest = versions.find((version) => !version.yanked)?.version ?? null;
  // A version that vanished from the marketplace (plugin unpublished) is treated like a yanked one.
  const revoked = mine ? mine.yanked : true;
  const reason = mine ? mine.yankReason : 'it was removed from the marketplace';
  await recordMarketplaceStatus(local, copy.name, { revoked, reason: revoked ? reason : null, latestGood: latest });
  const updateAvailable = latest !== null && semver.gt(latest, copy.version);
  return { name: copy.name, installed: copy.version, latest, updateAvailable, revoked, reason: revoked ? reason : null };
}
