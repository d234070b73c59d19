import { z } from 'zod';
import { errorInfoSchema } from '../../errors.ts';
import { pluginCodeSchema, pluginFilesSchema, pluginManifestSchema, pluginNameSchema, tagSchema, versionSchema } from './plugins.ts';

/** The marketplace as the UI sees it: a mirror of src/marketplace's shapes, plus what only the app knows (installed, mine). */

export const MARKET_SORTS = ['relevance', 'downloads', 'newest'] as const;
export type MarketSort = (typeof MARKET_SORTS)[number];

export const marketSearchSchema = z.object({
  text: z.string().max(200).default(''),
  tag: tagSchema.optional(),
  sort: z.enum(MARKET_SORTS).default('relevance'),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(50).default(12),
}).strict();
export type MarketSearchInput = z.input<typeof marketSearchSchema>;

/** A catalog row as the marketplace returns it (src/marketplace's PluginSummary is this type). */
export const catalogEntrySchema = z.object({
  name: z.string(),
  owner: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  latestVersion: z.string().nullable(),
  downloads: z.number().int(),
  /** The key the owner publishes with; every installed version is verified against it. */
  ownerFingerprint: z.string().nullable(),
  /** The name the owner goes by (Settings › Author identity); null when they set none: show the role. */
  ownerName: z.string().nullable(),
  /** Models the latest version declares it calls. */
  models: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/** A card: the catalog row, plus what only this machine knows. */
export const marketCardSchema = catalogEntrySchema.extend({
  /** The latest version verifies against its owner's registered key; null when it could not be checked (offline). */
  verified: z.boolean().nullable(),
  /** The version installed here, if any. */
  installedVersion: z.string().nullable(),
  /** Published by this machine's author key. */
  mine: z.boolean(),
  /**
   * The owner's database role, to show beside their name (`owner` is the same role, for searches and
   * checks); null on the local marketplace, whose one role (PGlite's `postgres`) names nobody.
   */
  ownerRole: z.string().nullable(),
});
export type MarketCard = z.infer<typeof marketCardSchema>;

/** Why a page comes from this machine's copy of the catalog: the database's error, in words, and its fix. */
export const offlineReasonSchema = z.object({ reason: z.string(), hint: z.string().optional() });
export type OfflineReason = z.infer<typeof offlineReasonSchema>;

export const marketPageSchema = z.object({
  items: z.array(marketCardSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** null: the marketplace answered. Else it was unreachable, and these rows come from this machine's copy of the catalog. */
  offline: offlineReasonSchema.nullable(),
});
export type MarketPage = z.infer<typeof marketPageSchema>;

export const marketRefSchema = z.object({ name: pluginNameSchema, version: versionSchema.optional() }).strict();

/** One version in the catalog (src/marketplace's VersionInfo is this type); the UI's list leaves out the hash. */
export const catalogVersionSchema = z.object({
  version: z.string(),
  sha256: z.string(),
  fingerprint: z.string(),
  yanked: z.boolean(),
  yankReason: z.string().nullable(),
  createdAt: z.string(),
});
export type CatalogVersion = z.infer<typeof catalogVersionSchema>;
export const marketVersionSchema = catalogVersionSchema.omit({ sha256: true });

/** One version as a user reviews it before installing: its code, what it declares, and whether its signature holds. */
export const reviewedVersionSchema = z.object({
  version: z.string(),
  code: z.string(),
  /** Its other files, covered by the sha256 and the signature with the code ({} for a single-file plugin). */
  files: z.record(z.string(), z.string()).default({}),
  manifest: pluginManifestSchema,
  sha256: z.string(),
  fingerprint: z.string(),
  verified: z.boolean(),
  problem: z.string().nullable(),
  yanked: z.boolean(),
  yankReason: z.string().nullable(),
});
export type ReviewedVersion = z.infer<typeof reviewedVersionSchema>;

export const installedStateSchema = z.object({
  version: z.string(),
  updateAvailable: z.boolean(),
  latestKnown: z.string().nullable(),
  revoked: z.boolean(),
});

export const marketDetailSchema = z.object({
  plugin: marketCardSchema,
  versions: z.array(marketVersionSchema),
  selected: reviewedVersionSchema,
  installed: installedStateSchema.nullable(),
});
export type MarketDetail = z.infer<typeof marketDetailSchema>;

/** Installs (or updates to) exactly the version the user reviewed and consented to: same version, same code. */
export const marketInstallSchema = z.object({
  name: pluginNameSchema,
  version: versionSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Accept a version signed by another key than the installed copy's (the author changed keys); TAMPERED otherwise. */
  trustNewKey: z.boolean().default(false),
}).strict();

/** An installed copy as this machine last knew it (`wasmforge list`): no marketplace is asked. */
export const installedPluginSchema = z.object({
  name: z.string(),
  version: z.string(),
  owner: z.string(),
  /**
   * Who to name as the owner, as on a card (src/shared/owner-label.ts): on the local marketplace this
   * machine's user, by their display name (null: none set); on a shared one the role (ownerRole), as
   * no marketplace is asked. Both null for a bundle, whose claimed owner is not believed.
   */
  ownerName: z.string().nullable(),
  ownerRole: z.string().nullable(),
  fingerprint: z.string(),
  /** Installed from a marketplace, or imported from a bundle file. */
  origin: z.enum(['marketplace', 'bundle']),
  revoked: z.boolean(),
  revokedReason: z.string().nullable(),
  latestKnown: z.string().nullable(),
  updateAvailable: z.boolean(),
  installedAt: z.string(),
});
export type InstalledPluginView = z.infer<typeof installedPluginSchema>;

export const updateStatusSchema = z.object({
  name: z.string(),
  installed: z.string(),
  latest: z.string().nullable(),
  updateAvailable: z.boolean(),
  revoked: z.boolean(),
  reason: z.string().nullable(),
});
export type UpdateStatusView = z.infer<typeof updateStatusSchema>;

export const marketForkSchema = z.object({ name: pluginNameSchema, version: versionSchema.optional(), newName: pluginNameSchema.optional() }).strict();

export const marketYankSchema = z.object({ name: pluginNameSchema, version: versionSchema, reason: z.string().max(500).default('') }).strict();

export const OUTBOX_STATES = ['pending', 'delivered', 'failed'] as const;
export const outboxItemSchema = z.object({
  id: z.string(),
  /** Where it goes (a waiting publish follows the marketplace in use) or went: a URL without password, or 'local'. */
  marketplace: z.string(),
  plugin: z.string(),
  version: z.string(),
  status: z.enum(OUTBOX_STATES),
  attempts: z.number().int(),
  nextAttemptAt: z.string(),
  lastError: errorInfoSchema.nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type OutboxItemView = z.infer<typeof outboxItemSchema>;

export const flushReportSchema = z.object({ delivered: z.number().int(), failed: z.number().int(), pending: z.number().int() });

export const marketStatusSchema = z.object({
  mode: z.enum(['shared', 'local']),
  /** The database URL without its password, or the local data folder. */
  target: z.string(),
  reachable: z.boolean(),
  latencyMs: z.number().nullable(),
  schema: z.enum(['current', 'missing', 'outdated', 'unknown']),
  user: z.string().nullable(),
  pendingOutbox: z.number().int().nullable(),
  summary: z.string(),
  fix: z.string().optional(),
  /** Why it cannot be used while `reachable` is false, in a word a badge can show: a refused login and a missing database are not outages. */
  problem: z.enum(['unreachable', 'login-refused', 'no-database', 'busy']).optional(),
});
export type MarketStatus = z.infer<typeof marketStatusSchema>;

export const testDatabaseSchema = z.object({
  /** Empty: the local, single-user marketplace. */
  databaseUrl: z.string().max(2000),
}).strict();

export const PUBLISH_STEPS = ['manifest', 'syntax', 'version', 'signature', 'deliver'] as const;
export type PublishStep = (typeof PUBLISH_STEPS)[number];

/** Progress of a publish, one event per check as it starts and ends (the event of `market.publish`). */
export const publishEventSchema = z.object({
  type: z.literal('step'),
  step: z.enum(PUBLISH_STEPS),
  state: z.enum(['running', 'ok', 'failed', 'skipped']),
  detail: z.string().optional(),
});
export type PublishEvent = z.infer<typeof publishEventSchema>;

/** A workspace plugin by name, or a plugin given whole (`wasmforge publish <dir>` sends the folder's files). */
export const publishInputSchema = z.union([
  z.object({ name: pluginNameSchema }).strict(),
  z.object({ code: pluginCodeSchema, files: pluginFilesSchema.optional(), manifest: pluginManifestSchema }).strict(),
]);

const publishedFields = {
  name: z.string(),
  version: z.string(),
  fingerprint: z.string(),
  publishId: z.string(),
  /** Where it went (or will go): "local", or the database without its password. */
  marketplace: z.string(),
};
/** Published, or queued in the outbox with the reason it waits (src/marketplace's PublishOutcome is this, less `marketplace`). */
export const publishResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('published'), ...publishedFields }),
  z.object({ status: z.literal('queued'), ...publishedFields, reason: z.string() }),
]);
export type PublishResult = z.infer<typeof publishResultSchema>;
