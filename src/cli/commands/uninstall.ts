import type { Command } from 'commander';
import { printable } from '../terminal.ts';
import { withApi } from '../context.ts';
import { runAction } from '../output.ts';

/** `wasmforge uninstall <name>`: removes the local copy (the marketplace is not touched). */
export function register(program: Command): void {
  program
    .command('uninstall')
    .description('Remove an installed plugin from this machine')
    .argument('<name>')
    .action((name: string) => runAction(async () => {
      await withApi({}, (client) => client.call('market.uninstall', { name }));
      process.stdout.write(`uninstalled ${printable(name)}\n`);
    }));
}
