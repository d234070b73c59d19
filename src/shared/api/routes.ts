import { z } from 'zod';
import { engineNameSchema, runEventSchema } from '../run.ts';
import { callRoute, streamRoute } from './route.ts';
import { appEventSchema } from './schemas/events.ts';
import { authorIdentitySchema, displayNameResultSchema, exportedKeySchema, importKeySchema, setDisplayNameSchema } from './schemas/author.ts';
import {
  flushReportSchema, installedPluginSchema, marketDetailSchema, marketForkSchema, marketInstallSchema, marketPageSchema, marketRefSchema,
  marketSearchSchema, marketStatusSchema, marketYankSchema, outboxItemSchema, publishInputSchema, publishResultSchema,
  publishEventSchema, testDatabaseSchema, updateStatusSchema,
} from './schemas/marketplace.ts';
import { allowListSchema, approveModelSchema, modelRefSchema, pullProgressEventSchema, pullResultSchema } from './schemas/models.ts';
import {
  detectedModelsSchema, pluginCodeSchema, pluginDetailSchema, pluginFilesSchema, pluginNameSchema, pluginRefSchema, pluginSaveSchema, pluginSummarySchema, templateSchema,
} from './schemas/plugins.ts';
import {
  historyQuerySchema, runRecordSchema, runRequestSchema, runSummarySchema, syntaxCheckSchema, syntaxResultSchema,
} from './schemas/runs.ts';
import { settingsPatchSchema, settingsViewSchema } from './schemas/settings.ts';
import {
  caseSummarySchema, saveFromRunSchema, savedCaseSchema, testListSchema, testReportSchema, testRunEventSchema, testRunSchema,
  testSuiteSchema, testUpdateResultSchema,
} from './schemas/tests.ts';
import {
  appInfoSchema, emptySchema, engineStatusesSchema, engineStatusSchema, modelHealthSchema, modelInfoSchema, sdkStubSchema,
} from './schemas/system.ts';

/** The events of a run as the UI receives them: the sandbox's RunEvent, plus the run's id first. */
export const runStreamEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accepted'), runId: z.string() }),
  ...runEventSchema.options,
]);
export type RunStreamEvent = z.infer<typeof runStreamEventSchema>;

/**
 * The one contract for everything the UI needs. The Electron main process serves it over IPC,
 * `wasmforge serve` over HTTP, the CLI and the tests call it directly: one handler map for all.
 * Adding a route here without a handler in src/app/handlers is a compile error.
 */
export const apiRoutes = {
  'app.info': callRoute({ summary: 'Version, data folder, default limits and features', input: emptySchema, output: appInfoSchema }),
  'engines.status': callRoute({ summary: 'Which sandbox engines can run here', input: emptySchema, output: engineStatusesSchema }),
  'engines.prepare': callRoute({
    summary: "Start what makes an engine's runs fast (WasmEdge: python.wasm compiled to native code, in the background, a failed compile tried again); engines.status follows it",
    input: z.object({ engine: engineNameSchema }).strict(),
    output: engineStatusSchema,
  }),
  'sdk.stub': callRoute({ summary: 'The platform_sdk stub the editor reads for completions and hover docs', input: emptySchema, output: sdkStubSchema }),

  'events.watch': streamRoute({
    summary: 'What changes in the backend, pushed while the caller watches: the connections first, then lists to read again (ends only when cancelled)',
    input: emptySchema,
    output: emptySchema,
    event: appEventSchema,
  }),

  'runs.run': streamRoute({
    summary: 'Run a plugin in the sandbox, streaming its logs, output and AI tokens (the result comes once, as the output)',
    input: runRequestSchema,
    output: runRecordSchema,
    event: runStreamEventSchema,
  }),
  'runs.checkSyntax': callRoute({ summary: 'Compile the code in the sandbox and report a syntax error', input: syntaxCheckSchema, output: syntaxResultSchema }),
  'runs.history': callRoute({ summary: 'Past runs, newest first', input: historyQuerySchema, output: z.array(runSummarySchema) }),
  'runs.get': callRoute({ summary: 'One past run with its output, logs and AI calls', input: z.object({ id: z.string().max(100) }).strict(), output: runRecordSchema }),

  'tests.list': callRoute({ summary: "A workspace plugin's test cases (tests/*.json), or what is wrong with each file", input: testListSchema, output: z.array(caseSummarySchema) }),
  'tests.run': streamRoute({
    summary: 'Run test cases offline (recorded AI answers), several at once, streaming each result as it finishes',
    input: testRunSchema,
    output: testReportSchema,
    event: testRunEventSchema,
  }),
  'tests.saveFromRun': callRoute({ summary: 'Keep a run as a test case: its input, the AI answers it got, its output as the expectation', input: saveFromRunSchema, output: savedCaseSchema }),
  'tests.update': callRoute({ summary: "Run the cases and refresh their exact expectations from what the plugin does now", input: z.object({ suite: testSuiteSchema }).strict(), output: testUpdateResultSchema }),

  'plugins.list': callRoute({ summary: 'Workspace and installed plugins', input: emptySchema, output: z.array(pluginSummarySchema) }),
  'plugins.get': callRoute({ summary: 'A plugin with its code and manifest', input: pluginRefSchema, output: pluginDetailSchema }),
  'plugins.save': callRoute({ summary: 'Create or update a workspace plugin', input: pluginSaveSchema, output: pluginSummarySchema }),
  'plugins.detectModels': callRoute({
    summary: "The models the code calls by name (call_ai, embed, call_ai_many), read by Python's own parser in the sandbox",
    input: z.object({ code: pluginCodeSchema, files: pluginFilesSchema.optional() }).strict(),
    output: detectedModelsSchema,
  }),
  'plugins.delete': callRoute({ summary: 'Delete a workspace plugin', input: z.object({ name: pluginNameSchema }).strict(), output: emptySchema }),
  'templates.list': callRoute({ summary: 'Starter plugins for the Builder', input: emptySchema, output: z.array(templateSchema) }),

  'market.status': callRoute({ summary: 'Which marketplace, is it reachable, publishes waiting', input: emptySchema, output: marketStatusSchema }),
  'market.search': callRoute({ summary: 'Search the catalog (the cached copy when offline)', input: marketSearchSchema, output: marketPageSchema }),
  'market.details': callRoute({ summary: 'A plugin with its versions and one version to review (code, declarations, signature)', input: marketRefSchema, output: marketDetailSchema }),
  'market.install': callRoute({ summary: 'Install or update to the reviewed version (consented: same version and code)', input: marketInstallSchema, output: pluginSummarySchema }),
  'market.uninstall': callRoute({ summary: 'Remove an installed plugin', input: z.object({ name: pluginNameSchema }).strict(), output: emptySchema }),
  'market.installed': callRoute({ summary: 'Installed plugins: origin, signer, updates and revocations as last checked', input: emptySchema, output: z.array(installedPluginSchema) }),
  'market.updates': callRoute({ summary: 'Newer versions and revocations for installed plugins', input: emptySchema, output: z.array(updateStatusSchema) }),
  'market.fork': callRoute({ summary: '"Open in Builder": a workspace copy the user owns', input: marketForkSchema, output: pluginSummarySchema }),
  'market.yank': callRoute({ summary: 'Revoke one of your versions', input: marketYankSchema, output: emptySchema }),
  'market.unpublish': callRoute({ summary: 'Remove your plugin and all its versions from the marketplace', input: z.object({ name: pluginNameSchema }).strict(), output: emptySchema }),
  'market.publish': streamRoute({
    summary: 'Check, sign and publish a workspace plugin (queued when the database is unreachable)',
    input: publishInputSchema,
    output: publishResultSchema,
    event: publishEventSchema,
  }),
  'market.outbox': callRoute({ summary: 'Publishes of this machine: waiting, delivered, refused', input: emptySchema, output: z.array(outboxItemSchema) }),
  'market.retry': callRoute({ summary: 'Try to deliver waiting publishes now', input: emptySchema, output: flushReportSchema }),

  'models.list': callRoute({ summary: 'Models: approved, installed, loaded', input: emptySchema, output: z.array(modelInfoSchema) }),
  'models.health': callRoute({ summary: 'Is the AI provider reachable', input: emptySchema, output: modelHealthSchema }),
  'models.pull': streamRoute({
    summary: 'Download a model, streaming progress; cancellable', input: modelRefSchema, output: pullResultSchema, event: pullProgressEventSchema,
  }),
  'models.delete': callRoute({ summary: 'Delete an installed model', input: modelRefSchema, output: emptySchema }),
  'models.approve': callRoute({ summary: 'Add a model to the allow-list or take it off', input: approveModelSchema, output: allowListSchema }),

  'settings.get': callRoute({ summary: 'The user settings', input: emptySchema, output: settingsViewSchema }),
  'settings.update': callRoute({ summary: 'Change some settings; returns them all', input: settingsPatchSchema, output: settingsViewSchema }),
  'settings.testDatabase': callRoute({ summary: 'Try a marketplace database URL without saving it', input: testDatabaseSchema, output: marketStatusSchema }),

  'author.identity': callRoute({ summary: 'The author name and signing key fingerprint', input: emptySchema, output: authorIdentitySchema }),
  'author.exportKey': callRoute({ summary: 'The private signing key (PEM), to move the identity to another machine', input: emptySchema, output: exportedKeySchema }),
  'author.importKey': callRoute({ summary: 'Use a signing key exported elsewhere', input: importKeySchema, output: authorIdentitySchema }),
  'author.setDisplayName': callRoute({
    summary: 'Save the display name in the settings and show it on the marketplace in use now, when this author has published there',
    input: setDisplayNameSchema,
    output: displayNameResultSchema,
  }),
} as const;

export type ApiRoutes = typeof apiRoutes;
