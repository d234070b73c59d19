/**
 * The plugin library and the marketplace: the service API the app, the server and the CLI use.
 *
 * ```ts
 * const market = await Marketplace.open({ home, checkSyntax: (code, file) => runtime.checkSyntax(code, file) });
 * market.mode / market.id                     // 'shared' (PostgreSQL via settings.marketplace.databaseUrl or DATABASE_URL) | 'local' (PGlite)
 * await market.publish(dir)                   // checks, signs (Ed25519), writes in one transaction → { status: 'published' | 'queued', … }
 * await market.flushOutbox({ all? })          // retries queued publishes (idempotent); the app's OutboxRetrier calls it
 * await market.outboxItems()                  // what waits / failed, with the last error
 * await market.search({ text, tag, sort, page, pageSize })   // → SearchPage; offline: the cached catalog, offline: { reason, hint }
 *                                             // online, it copies the whole catalog in the background (bounded, at most
 *                                             // every 10 min across restarts; Marketplace.open({ catalogCopy: false }) skips it)
 * await market.details(name)                  // plugin + versions (yanked or not)
 * await market.inspect('name[@version]')     // code + manifest (models, limits) + verified/problem, before installing
 * await market.install('name[@version]', { trustNewKey? })    // fetch, verify signature against the owner's key, save
 * await market.checkUpdates(name?)            // "update available" + revocations for installed copies
 * await market.yank('name@version', reason) / market.unpublish(name)   // owner only, enforced by the database;
 *                                             // unpublish hides the plugin and yanks every version, the name stays the owner's
 * await market.exportBundle({ installed } | { dir }, path) / market.importBundle(path, { trustNewKey? })
 * await market.identity()                     // { publicKey, fingerprint } of this user's author key
 * await market.close()                       // stops a background catalog copy rather than waiting for it
 *
 * const library = await createLibrary(home);  // local things: no marketplace needed
 * library.workspace.initPlugin/openPlugin/saveCode/saveManifest/renamePlugin/deletePlugin/listWorkspace/forkPlugin
 * await library.listInstalled() / getInstalled(name) / verifiedCopy(name) / uninstall(name)
 * await library.recordRun({ plugin, version, input, result }) / listRuns({ plugin, limit }) / clearRuns(plugin?)
 * await resolvePluginForRun('name[@version]', home)   // verified + revocation-checked code for a run (TAMPERED / REVOKED)
 * await marketplaceHealth({ home?, databaseUrl? })    // one line + fix for `wasmforge doctor`, settings "test connection"
 * await exportAuthorKey(home, path) / importAuthorKey(home, path, { replace? })   // move an identity between machines
 * ```
 *
 * Errors are WasmForgeError with codes NOT_FOUND, ALREADY_EXISTS, NOT_OWNER, VERSION_NOT_GREATER,
 * INVALID_MANIFEST, TAMPERED, REVOKED, DB_UNAVAILABLE (an outage: offline answers, queued publishes),
 * UNAUTHORIZED (a refused login, no outage), QUOTA_EXCEEDED, STORAGE_ERROR, SYNTAX_ERROR, BAD_INPUT.
 * Ownership is enforced by PostgreSQL (row-level security and column grants per author role,
 * see db/schema.ts); administration (migrations, author roles) is in admin.ts.
 */
export { LOCAL_MARKETPLACE_ID, Marketplace, configuredDatabaseUrl, type MarketplaceMode, type MarketplaceOptions } from './service.ts';
export { marketplaceHealth, type MarketplaceHealth } from './health.ts';
export { addAuthor, migrateMarketplace, AUTHOR_ROLE_PATTERN } from './admin.ts';
export { bundleSchema, parseBundle, readBundle, BUNDLE_EXTENSION, type PluginBundle } from './bundle.ts';
export { assertVersionGreater } from './db/version-rule.ts';
export { backoffMs, type FlushReport, type OutboxItem, type OutboxStatus } from './outbox.ts';
export type { CheckSyntax } from './publish.ts';
export type { InspectedVersion, InstallOptions, UpdateStatus } from './install.ts';
export { exportAuthorKey, fingerprintOf, importAuthorKey, loadOrCreateAuthorKey, type AuthorKey } from './signing.ts';
export * from './types.ts';
export { createLibrary, Library } from '../library/library.ts';
export { resolvePluginForRun, type RunnablePlugin } from './resolve-run.ts';
export type { InstalledPlugin, InstallSource } from '../library/installed.ts';
export type { StoredRun } from '../library/history.ts';
export { manifestSchema, parseManifest, INPUT_TYPES, type PluginManifest } from '../library/manifest.ts';
export type { WorkspacePlugin } from '../library/workspace.ts';
