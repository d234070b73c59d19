import type { Command } from 'commander';
import { parsePluginSpec } from '../../library/manifest.ts';
import { printJson, printable } from '../terminal.ts';
import type { ApiClient } from '../../shared/api/types.ts';
import { withApi } from '../context.ts';
import { runAction } from '../output.ts';

interface InstallOptions {
  trustNewKey?: boolean;
  json?: boolean;
  url?: string;
}

/** `wasmforge install <name[@version]>` and `wasmforge update [name]`. */
export function register(program: Command): void {
  program
    .command('install')
    .description('Install a plugin from the marketplace (verified: sha256 and author signature)')
    .argument('<spec>', 'name or name@version')
    .option('--trust-new-key', 'accept a version signed by a different key than the installed copy')
    .option('--json', 'print the installed plugin as JSON')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((spec: string, options: InstallOptions) => runAction(async () => {
      const { name, version } = parsePluginSpec(spec);
      const installed = await withApi({ databaseUrl: options.url }, (client) => install(client, name, version, options.trustNewKey));
      if (options.json) return printJson(installed.summary);
      process.stdout.write(`installed ${printable(installed.summary.name)}@${printable(installed.summary.version)} by ${printable(installed.owner)} (key ${installed.fingerprint})\n`);
    }));

  program
    .command('update')
    .description('Install the newest good version of installed plugins that have one')
    .argument('[name]', 'only this plugin')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((name: string | undefined, options: { url?: string }) => runAction(() => withApi({ databaseUrl: options.url }, async (client) => {
      const statuses = (await client.call('market.updates', {})).filter((status) => name === undefined || status.name === name);
      const updatable = statuses.filter((status) => status.updateAvailable && status.latest);
      for (const status of updatable) {
        const installed = await install(client, status.name, status.latest ?? undefined);
        process.stdout.write(`updated ${printable(status.name)} ${status.installed} -> ${installed.summary.version}\n`);
      }
      if (updatable.length === 0) process.stdout.write('everything is up to date\n');
    })));
}

/**
 * As in the app: the version is reviewed first (the newest good one unless named), and exactly
 * that code is installed, or nothing.
 */
async function install(client: ApiClient, name: string, version?: string, trustNewKey = false) {
  const { plugin, selected } = await client.call('market.details', { name, version });
  const summary = await client.call('market.install', { name, version: selected.version, sha256: selected.sha256, trustNewKey });
  return { summary, owner: plugin.owner, fingerprint: selected.fingerprint };
}
