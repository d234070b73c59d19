import type { Command } from 'commander';
import type { InstalledPluginView } from '../../shared/api/schemas/marketplace.ts';
import { installedOwnerLabel } from '../../shared/owner-label.ts';
import { printJson, table } from '../terminal.ts';
import { withApi } from '../context.ts';
import { runAction } from '../output.ts';

/** `wasmforge list`: installed plugins, with "update available" and revocations. */
export function register(program: Command): void {
  program
    .command('list')
    .description('List installed plugins')
    .option('--check', 'ask the marketplace for updates and revocations first')
    .option('--json', 'print the list as JSON')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .action((options: { check?: boolean; json?: boolean; url?: string }) => runAction(() => withApi({ databaseUrl: options.url }, async (client) => {
      if (options.check) await client.call('market.updates', {});
      const installed = await client.call('market.installed', {});
      if (options.json) return printJson(installed);
      if (installed.length === 0) {
        process.stdout.write('no plugins installed; find some with `wasmforge search`\n');
        return;
      }
      process.stdout.write(table(['NAME', 'VERSION', 'OWNER', 'SOURCE', 'STATUS', 'KEY'], installed.map((plugin) => [
        plugin.name, plugin.version, installedOwnerLabel(plugin), plugin.origin,
        plugin.revoked ? `REVOKED${plugin.revokedReason ? `: ${plugin.revokedReason}` : ''}`
          : plugin.updateAvailable ? `update available: ${plugin.latestKnown}` : 'ok',
        keyOf(plugin),
      ])));
    })));
}

/**
 * The signing key, short (as install's consent shows it), and what it was checked against: OWNER says
 * `unknown` for a bundle, whose claimed owner is never believed (installedOwnerLabel).
 */
function keyOf(plugin: InstalledPluginView): string {
  const checked = plugin.origin === 'bundle' ? 'not checked against a marketplace' : "the owner's key on the marketplace";
  return `${plugin.fingerprint.slice(0, 16)}… (${checked})`;
}
