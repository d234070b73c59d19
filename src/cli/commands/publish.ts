import type { Command } from 'commander';
import { parsePluginSpec } from '../../library/manifest.ts';
import { openPlugin } from '../../library/workspace.ts';
import { printJson, printable } from '../terminal.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import { withApi } from '../context.ts';
import { runAction } from '../output.ts';

interface PublishOptions {
  json?: boolean;
  url?: string;
}

/** `wasmforge publish <dir>`, plus `yank <name@version>` and `unpublish <name>` (owner only). */
export function register(program: Command): void {
  program
    .command('publish')
    .description('Check, sign and publish a plugin folder (queued and retried if the marketplace is unreachable)')
    .argument('<dir>', 'plugin folder')
    .option('--json', 'print the outcome as JSON')
    .option('--url <databaseUrl>', 'marketplace database URL (default: settings, then DATABASE_URL, else local)')
    .action((dir: string, options: PublishOptions) => runAction(async () => {
      const { code, manifest } = await openPlugin(dir);
      const outcome = await withApi({ databaseUrl: options.url }, (client) => client.stream('market.publish', { code, manifest }, { onEvent: () => undefined }));
      if (options.json) return printJson(outcome);
      const what = `${printable(outcome.name)}@${printable(outcome.version)}`;
      process.stdout.write(outcome.status === 'published'
        ? `published ${what} to ${outcome.marketplace}, signed by ${outcome.fingerprint}\n`
        : `queued ${what}: ${printable(outcome.reason ?? '')}\nIt stays in the outbox and is retried; see \`wasmforge db outbox\`.\n`);
    }));

  program
    .command('yank')
    .description('Revoke one of your published versions; installed copies refuse to run it')
    .argument('<spec>', 'name@version')
    .option('--reason <text>', 'shown to users of the version', 'revoked by the author')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((spec: string, options: { reason: string; url?: string }) => runAction(async () => {
      const { name, version } = parsePluginSpec(spec);
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
