import type { Command } from 'commander';
import { printJson, printable, runAction, withMarketplace } from '../../marketplace/cli.ts';

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
    .action((spec: string, options: InstallOptions) => runAction(() => withMarketplace({ databaseUrl: options.url }, async (market) => {
      const installed = await market.install(spec, { trustNewKey: options.trustNewKey });
      if (options.json) return printJson(installed);
      process.stdout.write(`installed ${printable(installed.name)}@${printable(installed.version)} by ${printable(installed.owner)} (key ${installed.fingerprint})\n`);
    })));

  program
    .command('update')
    .description('Install the newest good version of installed plugins that have one')
    .argument('[name]', 'only this plugin')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((name: string | undefined, options: { url?: string }) => runAction(() => withMarketplace({ databaseUrl: options.url }, async (market) => {
      const statuses = await market.checkUpdates(name);
      const updatable = statuses.filter((status) => status.updateAvailable && status.latest);
      for (const status of updatable) {
        const installed = await market.install(`${status.name}@${status.latest}`);
        process.stdout.write(`updated ${printable(status.name)} ${status.installed} -> ${installed.version}\n`);
      }
      if (updatable.length === 0) process.stdout.write('everything is up to date\n');
    })));
}
