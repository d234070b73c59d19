import type { Command } from 'commander';
import { parsePluginSpec } from '../../library/manifest.ts';
import { openPlugin, saveManifest, type WorkspacePlugin } from '../../library/workspace.ts';
import { modelsFor } from '../../shared/api/schemas/plugins.ts';
import type { ApiClient } from '../../shared/api/types.ts';
import { printJson, printable } from '../terminal.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import { describePluginSize, pluginFileNames } from '../../shared/plugin-files.ts';
import { requireDescription } from '../../app/publish-checks.ts';
import { confirm } from '../confirm.ts';
import { firstPublishCheck } from '../../shared/api/first-publish.ts';
import { withApi } from '../context.ts';
import { argument, runAction } from '../output.ts';

interface PublishOptions {
  /** A first publish goes ahead without being asked (a script). */
  yes?: boolean;
  json?: boolean;
  url?: string;
}

/** `wasmforge publish <dir>`, plus `yank <name@version>` and `unpublish <name>` (owner only). */
export function register(program: Command): void {
  program
    .command('publish')
    .description('Check, sign and publish a plugin folder (queued and retried if the marketplace is unreachable)')
    .argument('<dir>', 'plugin folder')
    .option('-y, --yes', 'publish a new name without asking (needed when stdin is not a terminal)')
    .option('--json', 'print the outcome as JSON')
    .option('--url <databaseUrl>', 'marketplace database URL (default: settings, then DATABASE_URL, else local)')
    .addHelpText('after', `
The first publish of a name shows what becomes public and asks (the name stays yours for good);
a plugin needs a description to be published.

Examples:
  wasmforge publish ./summarize
  DATABASE_URL=postgres://ada:…@db.example.com/market wasmforge publish ./summarize --yes`)
    .action((dir: string, options: PublishOptions) => runAction(async () => {
      const plugin = await openPlugin(dir);
      const outcome = await withApi({ databaseUrl: options.url }, async (client) => {
        const models = await modelsCalled(client, plugin);
        const manifest = models ? { ...plugin.manifest, models } : plugin.manifest;
        // Refused before anything is asked or written: a plugin without a description is never published.
        requireDescription(manifest);
        if (!await reviewFirstPublish(client, { ...plugin, manifest }, options.yes)) return undefined;
        if (models) await writeModelsCalled(plugin, manifest);
        return client.stream('market.publish', { code: plugin.code, files: plugin.files, manifest }, { onEvent: () => undefined });
      });
      if (!outcome) {
        process.stderr.write('not published\n');
        return 1;
      }
      if (options.json) return printJson(outcome);
      const what = `${printable(outcome.name)}@${printable(outcome.version)}`;
      process.stdout.write(outcome.status === 'published'
        ? `published ${what} to ${outcome.marketplace}, signed by ${outcome.fingerprint}\n`
        : `queued ${what}: ${printable(outcome.reason ?? '')}\nIt waits in this data folder's outbox and goes, when retried, to the marketplace in use then (the app's Settings › Marketplace, or DATABASE_URL for a CLI command); see \`wasmforge db outbox\`.\n`);
    }));

  program
    .command('yank')
    .description('Revoke one of your published versions; installed copies refuse to run it')
    .argument('<spec>', 'name@version')
    .option('--reason <text>', 'shown to users of the version', 'revoked by the author')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((spec: string, options: { reason: string; url?: string }) => runAction(async () => {
      const { name, version } = argument(() => parsePluginSpec(spec));
      if (!version) throw new WasmForgeError('BAD_INPUT', `Say which version to yank: ${name}@<version>`);
      await withApi({ databaseUrl: options.url }, (client) => client.call('market.yank', { name, version, reason: options.reason }));
      process.stdout.write(`yanked ${printable(spec)}\n`);
    }));

  program
    .command('unpublish')
    .description('Remove your plugin and all its versions from the marketplace')
    .argument('<name>')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((name: string, options: { url?: string }) => runAction(async () => {
      await withApi({ databaseUrl: options.url }, (client) => client.call('market.unpublish', { name }));
      process.stdout.write(`unpublished ${printable(name)}\n`);
    }));
}

/**
 * The models the plugin's code calls, in any of its files (read by the sandbox's Python parser), when they differ from what
 * plugin.json lists: what installers consent to is what runs. Undefined: nothing to change (or code
 * that does not parse: the publish's syntax check says why).
 */
async function modelsCalled(client: ApiClient, plugin: WorkspacePlugin): Promise<string[] | undefined> {
  const detected = await client.call('plugins.detectModels', { code: plugin.code, files: plugin.files }).catch(() => undefined);
  if (!detected) return undefined;
  const models = modelsFor(plugin.manifest.models, detected);
  return models.join('\n') === plugin.manifest.models.join('\n') ? undefined : models;
}

/** The corrected list goes to plugin.json (said on stderr) once the publish goes ahead, not before. */
async function writeModelsCalled(plugin: WorkspacePlugin, manifest: WorkspacePlugin['manifest']): Promise<void> {
  await saveManifest(plugin.dir, manifest);
  const { models } = manifest;
  process.stderr.write(`plugin.json: models set to ${models.length ? models.map((model) => printable(model)).join(', ') : 'none'}, the ones the plugin's code calls\n`);
}

/**
 * A name's first publish cannot be taken back (the name stays its author's even after unpublish),
 * so it is shown and asked, as the app's publish dialog does (isFirstPublish says when).
 */
async function reviewFirstPublish(client: ApiClient, { manifest, code, files }: WorkspacePlugin, yes = false): Promise<boolean> {
  const check = await firstPublishCheck(() => client.call('market.details', { name: manifest.name }));
  if (check === 'published') return true;
  // Offline, the name may be this author's already: not called a first publish, which nobody could check.
  const heading = check === 'first'
    ? `first publish of ${printable(manifest.name)}: this becomes public on the marketplace, signed with your author key:`
    : `could not check whether this is the first publish of ${printable(manifest.name)} (the marketplace is unreachable); it is queued, and if it is the first, this becomes public once delivered, signed with your author key:`;
  process.stderr.write([
    heading,
    `  name ${printable(manifest.name)}, version ${printable(manifest.version)}`,
    `  description: ${printable(manifest.description) || '(none)'}`,
    `  tags: ${manifest.tags.join(', ') || 'none'}; models it calls: ${manifest.models.join(', ') || 'none'}`,
    `  and all of its files: ${pluginFileNames(files).map((path) => printable(path)).join(', ')} (${describePluginSize(code, files)}).`,
    '  The name stays yours for good: unpublishing hides the plugin, but nobody else can take its name.',
    '',
  ].join('\n'));
  return confirm(check === 'first' ? `Publish ${manifest.name} for the first time?` : `Queue ${manifest.name} for publishing?`, { yes });
}
