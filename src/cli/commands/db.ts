import type { Command } from 'commander';
import { resolveDataHome } from '../../library/home.ts';
import { openLocalDatabase } from '../../library/local-db.ts';
import { migrateMarketplace } from '../../marketplace/admin.ts';
import { createDatabaseIfMissing } from '../../marketplace/create-database.ts';
import { clip, printJson, printable, table } from '../terminal.ts';
import { withMarketplace } from '../with-marketplace.ts';
import { runAction } from '../output.ts';
import { registerAddAuthor } from './db-add-author.ts';
import { registerAuthors } from './db-authors.ts';
import { describeDatabaseUrl } from '../../marketplace/db/connect.ts';
import { marketplaceHealth } from '../../marketplace/health.ts';
import { configuredDatabaseUrl } from '../../marketplace/service.ts';

/** `wasmforge db migrate|status|add-author|authors|outbox`: the local database and the shared marketplace. */
export function register(program: Command): void {
  const db = program.command('db').description('Local database and shared marketplace administration');

  db.command('migrate')
    .description('Apply pending migrations to the local database and, if configured, the shared marketplace')
    .option('--url <databaseUrl>', 'shared marketplace URL, connecting as the database owner')
    .action((options: { url?: string }) => runAction(async () => {
      const local = await openLocalDatabase(resolveDataHome());
      await local.release();
      process.stdout.write(`local database ${local.dataDir}: up to date\n`);
      const url = options.url ?? await configuredDatabaseUrl(resolveDataHome());
      if (!url) return;
      if (await createDatabaseIfMissing(url)) process.stdout.write(`marketplace ${describeDatabaseUrl(url)}: created the database\n`);
      const { applied, notAdmitted } = await migrateMarketplace(url);
      process.stdout.write(`marketplace ${describeDatabaseUrl(url)}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}\n`);
      if (notAdmitted.length > 0) {
        process.stderr.write(`note: ${notAdmitted.join(', ')} ${notAdmitted.length === 1 ? 'was an author' : 'were authors'} on this server before each marketplace had its own authors, `
          + 'and not of this one so far; admit those who belong here with `wasmforge db add-author <role> --existing`\n');
      }
    }));

  db.command('status')
    .description('Is the marketplace reachable, migrated, and is anything waiting in the outbox?')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .option('--json', 'print as JSON')
    .action((options: { url?: string; json?: boolean }) => runAction(async () => {
      const health = await marketplaceHealth({ databaseUrl: options.url });
      if (options.json) return printJson(health);
      process.stdout.write(`${health.ok ? 'ok' : 'problem'}: ${printable(health.summary)}${health.fix ? `\nfix: ${printable(health.fix)}` : ''}\n`);
      return health.ok ? 0 : 1;
    }));

  registerAddAuthor(db);
  registerAuthors(db);

  db.command('outbox')
    .description('Show publications waiting to be delivered; --flush retries them now')
    .option('--flush', 'retry every pending publication now')
    .option('--json', 'print as JSON')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((options: { flush?: boolean; json?: boolean; url?: string }) => runAction(() => withMarketplace({ databaseUrl: options.url }, async (market) => {
      if (options.flush) {
        const report = await market.flushOutbox({ all: true });
        process.stderr.write(`delivered ${report.delivered.length}, failed ${report.failed.length}, still pending ${report.pending}\n`);
      }
      const items = await market.outboxItems();
      if (options.json) return printJson(items);
      if (items.length === 0) {
        process.stdout.write('the outbox is empty\n');
        return;
      }
      // TARGET: where each goes (a waiting one follows the marketplace in use) or went.
      process.stdout.write(table(['PLUGIN', 'VERSION', 'TARGET', 'STATUS', 'ATTEMPTS', 'NEXT TRY', 'LAST ERROR'], items.map((item) => [
        item.plugin, item.version, item.marketplace, item.status, String(item.attempts), item.status === 'pending' ? localTime(item.nextAttemptAt) : '-',
        item.lastError ? clip(`${item.lastError.code}: ${item.lastError.message}`, 80) : '-',
      ])));
    })));
}

/** An ISO time as this machine's clock shows it, to the second (`--json` keeps the ISO text). */
function localTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}
