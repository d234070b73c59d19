import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { BUNDLE_EXTENSION } from '../../marketplace/bundle.ts';
import { printable } from '../terminal.ts';
import { withMarketplace, type SyntaxChecker } from '../with-marketplace.ts';
import { runAction } from '../output.ts';
import { resolveDataHome } from '../../library/home.ts';
import { SandboxRuntime } from '../../sandbox/index.ts';

/** `wasmforge export <installed-name|plugin-dir> [-o file]`: one signed file for offline machines. */
export function register(program: Command): void {
  program
    .command('export')
    .description('Write a signed single-file bundle of an installed plugin or of a plugin folder')
    .argument('<source>', 'an installed plugin name, or a plugin folder (signed with your key)')
    .option('-o, --output <file>', `bundle file (default: <name>${BUNDLE_EXTENSION})`)
    .action((source: string, options: { output?: string }) => runAction(async () => {
      const isDir = existsSync(source);
      await withMarketplace({ openSandbox: isDir ? openSandbox : undefined }, async (market) => {
        const target = isDir ? { dir: source } : { installed: source };
        const path = options.output ?? `${source.replace(/[\\/]+$/, '').split(/[\\/]/).pop()}${BUNDLE_EXTENSION}`;
        const bundle = await market.exportBundle(target, path);
        process.stdout.write(`exported ${printable(bundle.name)}@${printable(bundle.version)} to ${path} (signed by ${bundle.fingerprint})\n`);
      });
    }));
}

/** Signing a folder checks its syntax first: a sandbox for that alone (no warm pool). */
async function openSandbox(): Promise<SyntaxChecker> {
  const runtime = new SandboxRuntime({ warmPoolSize: 0, dataHome: resolveDataHome() });
  return { checkSyntax: (code, filename) => runtime.checkSyntax(code, filename), close: () => runtime.close() };
}
