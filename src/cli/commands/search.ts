import { Option, type Command } from 'commander';
import { clip, positiveInteger, printJson, printable, table } from '../terminal.ts';
import { MARKET_SORTS, type MarketSort } from '../../shared/api/schemas/marketplace.ts';
import { ownerLabel } from '../../shared/owner-label.ts';
import { withApi } from '../context.ts';
import { runAction } from '../output.ts';
import { assertMarketplaceMigrated } from '../marketplace-schema.ts';
import { resolveDataHome } from '../../library/home.ts';
import { configuredDatabaseUrl } from '../../marketplace/service.ts';

interface SearchOptions {
  tag?: string;
  sort?: MarketSort;
  page?: number;
  pageSize?: number;
  json?: boolean;
  url?: string;
}

/** `wasmforge search [text]`: the marketplace catalog, or the cached copy when offline. */
export function register(program: Command): void {
  program
    .command('search')
    .description('Search the marketplace by name, description and tags')
    .argument('[text]', 'words to look for', '')
    .option('--tag <tag>', 'only plugins with this tag')
    .addOption(new Option('--sort <order>', 'order').choices(MARKET_SORTS))
    .option('--page <n>', 'page number', positiveInteger)
    .option('--page-size <n>', 'results per page (max 50)', positiveInteger)
    .option('--json', 'print the page as JSON')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((text: string, options: SearchOptions) => runAction(async () => {
      const query = { text, tag: options.tag, sort: options.sort, page: options.page, pageSize: options.pageSize };
      await assertMarketplaceMigrated(options.url || await configuredDatabaseUrl(resolveDataHome()));
      const page = await withApi({ databaseUrl: options.url }, (client) => client.call('market.search', query));
      if (options.json) return printJson(page);
      // Why the marketplace is away, and the fix: a cached answer is no reason to hide the error.
      if (page.offline) {
        process.stdout.write(`offline: showing the cached catalog: ${printable(page.offline.reason)}\n`);
        if (page.offline.hint) process.stdout.write(`  hint: ${printable(page.offline.hint)}\n`);
      }
      if (page.items.length === 0) {
        process.stdout.write('no plugins found\n');
        return;
      }
      process.stdout.write(table(['NAME', 'VERSION', 'DOWNLOADS', 'OWNER', 'TAGS', 'DESCRIPTION'], page.items.map((item) => [
        item.name, item.latestVersion ?? '-', String(item.downloads), ownerLabel(item), item.tags.join(','), clip(printable(item.description), 60),
      ])));
      const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
      process.stdout.write(`page ${page.page} of ${pages} (${page.total} plugin${page.total === 1 ? '' : 's'})\n`);
    }));
}
