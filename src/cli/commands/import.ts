import type { Command } from 'commander';
import { readBundle, unverifiedOwner, type PluginBundle } from '../../marketplace/bundle.ts';
import type { MarketDetail } from '../../shared/api/schemas/marketplace.ts';
import { confirm } from '../confirm.ts';
import { describeInstall } from '../install-consent.ts';
import { printable } from '../terminal.ts';
import { withMarketplace } from '../with-marketplace.ts';
import { badArgument, runAction } from '../output.ts';

interface ImportOptions {
  trustNewKey?: boolean;
  /** The user consents without being shown and asked (a script). */
  yes?: boolean;
}

/** `wasmforge import <file>`: verifies a bundle's signature, shows what it declares as install does, asks, and installs it. */
export function register(program: Command): void {
  program
    .command('import')
    .description('Install a plugin from a signed bundle file (the signature is verified)')
    .argument('<file>')
    .option('-y, --yes', 'import without asking (needed when stdin is not a terminal)')
    .option('--trust-new-key', 'accept a bundle signed by a different key than the installed copy')
    .addHelpText('after', `
Shows what the plugin declares (its key, the models it may call, the limits it sets itself, its
files and their size) and asks before installing, as install does; in a script, add --yes.

Examples:
  wasmforge import summarize.wfplugin
  wasmforge import summarize.wfplugin --yes`)
    .action((file: string, options: ImportOptions) => runAction(async () => {
      // The bundle is verified before it is shown: a tampered one is refused without asking (exit 1);
      // a file that is no bundle is an argument import cannot take (BAD_INPUT, exit 2).
      const bundle = await readBundle(file).catch(badArgument);
      process.stderr.write(describeInstall(bundleAsDetail(bundle), undefined, { bundle: true }));
      // import's own word: the question also heads the refusal when stdin is not a terminal.
      if (!await confirm(`Import ${bundle.name}@${bundle.version}?`, { yes: options.yes })) {
        process.stderr.write('not imported\n');
        return 1;
      }
      await withMarketplace({}, async (market) => {
        const installed = await market.importBundle(file, { trustNewKey: options.trustNewKey });
        process.stdout.write(`imported ${printable(installed.name)}@${printable(installed.version)} (key ${installed.fingerprint})\n`);
      });
    }));
}

/** A verified bundle in the shape the install consent reads: its owner is only what its key proves. */
function bundleAsDetail(bundle: PluginBundle): MarketDetail {
  const owner = unverifiedOwner(bundle.fingerprint);
  const { manifest } = bundle;
  return {
    plugin: {
      name: bundle.name, owner, description: manifest.description, tags: manifest.tags ?? [], latestVersion: bundle.version, downloads: 0,
      ownerFingerprint: bundle.fingerprint, ownerName: null, models: manifest.models, createdAt: bundle.exportedAt, updatedAt: bundle.exportedAt,
      // In the role's place, what the key proves (`owner`: the bundle's claimed owner is not believed).
      verified: true, installedVersion: null, mine: false, ownerRole: owner,
    },
    versions: [],
    selected: {
      version: bundle.version, code: bundle.code, files: bundle.files, manifest, sha256: bundle.sha256, fingerprint: bundle.fingerprint,
      verified: true, problem: null, yanked: false, yankReason: null,
    },
    installed: null,
  };
}
