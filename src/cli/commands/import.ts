import type { Command } from 'commander';
import { printable } from '../terminal.ts';
import { withMarketplace } from '../with-marketplace.ts';
import { runAction } from '../output.ts';

/** `wasmforge import <file>`: verifies a bundle's signature and installs it. */
export function register(program: Command): void {
  program
    .command('import')
    .description('Install a plugin from a signed bundle file (the signature is verified)')
    .argument('<file>')
    .option('--trust-new-key', 'accept a bundle signed by a different key than the installed copy')
    .action((file: string, options: { trustNewKey?: boolean }) => runAction(() => withMarketplace({}, async (market) => {
      const installed = await market.importBundle(file, { trustNewKey: options.trustNewKey });
      process.stdout.write(`imported ${printable(installed.name)}@${printable(installed.version)} (key ${installed.fingerprint})\n`);
    })));
}
