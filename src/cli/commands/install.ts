import type { Command } from 'commander';
import semver from 'semver';
import { parsePluginSpec } from '../../library/manifest.ts';
import { printJson, printable } from '../terminal.ts';
import type { PluginSummary } from '../../shared/api/schemas/plugins.ts';
import type { ApiClient } from '../../shared/api/types.ts';
import { ownerLabel } from '../../shared/owner-label.ts';
import { confirm } from '../confirm.ts';
import { withApi } from '../context.ts';
import { describeInstall, isInstalledAlready, type InstalledCopy } from '../install-consent.ts';
import { argument, runAction } from '../output.ts';

interface InstallOptions {
  /** The user consents without being shown and asked (a script). */
  yes?: boolean;
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
    .option('-y, --yes', 'install without asking (needed when stdin is not a terminal)')
    .option('--trust-new-key', 'accept a version signed by a different key than the installed copy')
    .option('--json', 'print the installed plugin as JSON')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .addHelpText('after', `
Shows what the plugin declares (its author and key, the models it may call, the limits it sets
itself, its code's size) and asks before installing; in a script, add --yes.

Examples:
  wasmforge install summarize
  wasmforge install summarize@1.2.0 --yes`)
    .action((spec: string, options: InstallOptions) => runAction(async () => {
      const { name, version } = argument(() => parsePluginSpec(spec));
      const installed = await withApi({ databaseUrl: options.url }, (client) => install(client, name, version, options));
      if (!installed) return 1;
      if (options.json) return printJson(installed.summary);
      const what = `${printable(installed.summary.name)}@${printable(installed.summary.version)}`;
      process.stdout.write(installed.already ? `${what} is already installed${newerNote(installed.summary.name, installed.newer)}\n` : `installed ${what} by ${printable(installed.owner)} (key ${installed.fingerprint})\n`);
    }));

  program
    .command('update')
    .description('Install the newest good version of installed plugins that have one')
    .argument('[name]', 'only this plugin')
    .option('-y, --yes', 'update without asking (needed when stdin is not a terminal)')
    .option('--url <databaseUrl>', 'marketplace database URL')
    .addHelpText('after', '\nShows what changes (models, limits, code) and asks before each update.\n\nExamples:\n  wasmforge update\n  wasmforge update summarize --yes')
    .action((name: string | undefined, options: { url?: string; yes?: boolean }) => runAction(() => withApi({ databaseUrl: options.url }, async (client) => {
      const statuses = (await client.call('market.updates', {})).filter((status) => name === undefined || status.name === name);
      const updatable = statuses.filter((status) => status.updateAvailable && status.latest);
      for (const status of updatable) {
        const installed = await install(client, status.name, status.latest ?? undefined, { yes: options.yes });
        if (installed) process.stdout.write(`updated ${printable(status.name)} ${status.installed} -> ${installed.summary.version}\n`);
      }
      if (updatable.length === 0) process.stdout.write('everything is up to date\n');
    })));
}

/**
 * As in the app: the version is reviewed first (the newest good one unless named), shown and
 * consented to, and exactly that code is installed, or nothing (undefined: the user said no).
 */
async function install(client: ApiClient, name: string, version: string | undefined, options: Pick<InstallOptions, 'yes' | 'trustNewKey'>) {
  const detail = await client.call('market.details', { name, version });
  const { plugin, selected } = detail;
  const copy = detail.installed ? await installedCopy(client, name) : undefined;
  // That very version is here already: said so, and nothing asked (exit 0).
  if (copy && isInstalledAlready(copy.copy, selected)) {
    // The marketplace's newest good version, when it is newer than this one (e.g. install NAME@0.1.0 with 0.2.0 out).
    const newest = detail.versions.find((v) => !v.yanked)?.version;
    const newer = newest && semver.valid(newest) && semver.gt(newest, selected.version) ? newest : undefined;
    return { summary: copy.summary, owner: ownerLabel(plugin), fingerprint: selected.fingerprint, already: true, newer };
  }
  process.stderr.write(describeInstall(detail, copy?.copy));
  const question = detail.installed ? `Update ${name} to ${selected.version}?` : `Install ${name}@${selected.version}?`;
  if (!await confirm(question, { yes: options.yes })) {
    process.stderr.write('not installed\n');
    return undefined;
  }
  const summary = await client.call('market.install', { name, version: selected.version, sha256: selected.sha256, trustNewKey: options.trustNewKey ?? false });
  return { summary, owner: ownerLabel(plugin), fingerprint: selected.fingerprint, already: false, newer: undefined };
}

/** "; 0.2.0, a newer version, is on the marketplace: …": how to get it, after "is already installed". */
function newerNote(name: string, newer: string | undefined): string {
  return newer ? `; ${printable(newer)}, a newer version, is on the marketplace: \`wasmforge install ${printable(name)}\` installs it` : '';
}

async function installedCopy(client: ApiClient, name: string): Promise<{ copy: InstalledCopy; summary: PluginSummary } | undefined> {
  const copy = await client.call('plugins.get', { source: 'installed', name }).catch(() => undefined);
  return copy && { copy: { version: copy.manifest.version, code: copy.code, files: copy.files, manifest: copy.manifest }, summary: copy.summary };
}
