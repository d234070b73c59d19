import type { Command } from 'commander';
import { createLibrary } from '../../library/library.ts';
import { printable, runAction } from '../../marketplace/cli.ts';

/** `wasmforge uninstall <name>`: removes the local copy (the marketplace is not touched). */
export function register(program: Command): void {
  program
    .command('uninstall')
    .description('Remove an installed plugin from this machine')
    .argument('<name>')
    .action((name: string) => runAction(async () => {
      const library = await createLibrary();
      try {
        await library.uninstall(name);
        process.stdout.write(`uninstalled ${printable(name)}\n`);
      } finally {
        await library.close();
      }
    }));
}
