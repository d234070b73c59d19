import type { Command } from 'commander';
import { resolveDataHome } from '../../library/home.ts';
import { listAuthors, withPool } from '../../marketplace/admin.ts';
import { configuredDatabaseUrl } from '../../marketplace/service.ts';
import { runAction, UsageError } from '../output.ts';
import { printJson, table } from '../terminal.ts';

/** `wasmforge db authors`: who may publish on this marketplace (run as the database owner). */
export function registerAuthors(db: Command): void {
  db.command('authors')
    .description("List this marketplace's authors: their role, key and how many plugins they own (run as the database owner)")
    .option('--url <databaseUrl>', 'the owner connection URL, without its password (default: DATABASE_URL or the settings)')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExamples:\n  DATABASE_URL=postgres://owner@db.example.com/market wasmforge db authors\n  wasmforge db authors --json')
    .action((options: { url?: string; json?: boolean }) => runAction(async () => {
      const url = options.url || process.env.DATABASE_URL || await configuredDatabaseUrl(resolveDataHome());
      if (!url) throw new UsageError('no marketplace URL: set DATABASE_URL=postgres://owner@host/database (or pass --url)');
      const authors = await withPool(url, listAuthors);
      if (options.json) return printJson(authors);
      if (authors.length === 0) {
        process.stdout.write('no authors yet: add one with `wasmforge db add-author <role>`\n');
        return;
      }
      process.stdout.write(table(['ROLE', 'KEY', 'PLUGINS'], authors.map((author) => [
        author.role,
        author.fingerprint ? `${author.fingerprint.slice(0, 16)}…${author.proven ? '' : ' (unproven)'}` : 'none yet',
        String(author.plugins),
      ])));
    }));
}
