import type { Command } from 'commander';
import { createCliContext } from '../context.ts';
import { printJson, printable, runAction, withMarketplace, type SyntaxChecker } from '../../marketplace/cli.ts';

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
    .action((dir: string, options: PublishOptions) => runAction(() => withMarketplace({ databaseUrl: options.url, openSandbox }, async (market) => {
      const outcome = await market.publish(dir);
      if (options.json) return printJson(outcome);
      const what = `${printable(outcome.name)}@${printable(outcome.version)}`;
      process.stdout.write(outcome.status === 'published'
        ? `published ${what} to ${market.id}, signed by ${outcome.fingerprint}\n`
        : `queued ${what}: ${printable(outcome.reason)}\nIt stays in the outbox and is retried; see \`wasmforge db outbox\`.\n`);
    })));

  program
    .command('yank')
    .description('Revoke one of your published versions; installed copies refuse to run it')
    .argument('<spec>', 'name@version')
    .option('--reason <text>', 'shown to users of the version', 'revoked by the author')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((spec: string, options: { reason: string; url?: string }) => runAction(() => withMarketplace({ databaseUrl: options.url }, async (market) => {
      await market.yank(spec, options.reason);
      process.stdout.write(`yanked ${printable(spec)}\n`);
    })));

  program
    .command('unpublish')
    .description('Remove your plugin and all its versions from the marketplace')
    .argument('<name>')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((name: string, options: { url?: string }) => runAction(() => withMarketplace({ databaseUrl: options.url }, async (market) => {
      await market.unpublish(name);
      process.stdout.write(`unpublished ${printable(name)}\n`);
    })));
}

/** A sandbox just for syntax checks (no warm pool). */
export async function openSandbox(): Promise<SyntaxChecker> {
  const { runtime } = await createCliContext({ warmPoolSize: 0 });
  return { checkSyntax: (code, filename) => runtime.checkSyntax(code, filename), close: () => runtime.close() };
}
