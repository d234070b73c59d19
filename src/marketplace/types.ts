import { z } from 'zod';
import { pluginNameSchema, tagSchema, versionSchema } from '../library/manifest.ts';
import type { SignedVersion } from '../library/signed-version.ts';
import { MARKET_SORTS, type CatalogEntry, type CatalogVersion, type MarketPage, type PublishResult } from '../shared/api/schemas/marketplace.ts';

/** Shapes that cross the service boundary (API, IPC, HTTP, CLI --json). No node imports here. */

/** One signed plugin version: what the outbox holds, what a bundle carries, what the database stores (library/signed-version.ts). */
export { signedVersionSchema, type SignedVersion } from '../library/signed-version.ts';

export const searchQuerySchema = z.object({
  text: z.string().max(200).default(''),
  tag: tagSchema.optional(),
  // The contract's orders (one list): the API and the CLI offer exactly these.
  sort: z.enum(MARKET_SORTS).optional(),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(100).default(20),
});
export type SearchQuery = z.input<typeof searchQuerySchema>;

/** The contract's shapes (shared/api/schemas/marketplace.ts), under the names the marketplace uses. */
export type PluginSummary = CatalogEntry;
/** A page of the catalog; `offline` (not null): the marketplace was unreachable, why, and these rows come from the local cache. */
export type SearchPage = Omit<MarketPage, 'items'> & { items: PluginSummary[] };
export type VersionInfo = CatalogVersion;

export interface PluginDetails extends PluginSummary {
  versions: VersionInfo[];
}

/** A version fetched for install, with the owner's registered key to verify it against. */
export interface FetchedVersion extends SignedVersion {
  owner: string;
  ownerPublicKey: string;
  yanked: boolean;
  yankReason: string | null;
}

/** The contract's publish result before the app names the marketplace it went to (distributed over published | queued). */
export type PublishOutcome = PublishResult extends infer R ? (R extends unknown ? Omit<R, 'marketplace'> : never) : never;

export { pluginNameSchema, tagSchema, versionSchema };
