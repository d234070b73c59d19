import type { Command } from 'commander';
import { BUNDLE_EXTENSION } from '../../marketplace/bundle.ts';
import { printable } from '../terminal.ts';
import { withMarketplace, type SyntaxChecker } from '../with-marketplace.ts';
import { runAction } from '../output.ts';
import { installedVersion, resolvePluginArgument, versionNotInstalled, type PluginArgument } from '../plugin-argument.ts';
import { resolveDataHome } from '../../library/home.ts';
import { SandboxRuntime } from '../../sandbox/index.ts';

/** `wasmforge export <installed-name|plugin-dir> [-o file]`: one signed file for offline machines. */
export function register(program: Command): void {
  program
    .command('export')
    .description('Write a signed single-file bundle of an installed plugin or of a plugin folder')
    .argument('<source>', 'an installed plugin name[@version], or a plugin folder (signed with your key)')
    .option('-o, --output <file>', `bundle file (default: <name>${BUNDLE_EXTENSION})`)
    .action((source: string, options: { output?: string }) => runAction(async () => {
      const target = await resolvePluginArgument(source);
      if (target.kind === 'installed' && target.version) await checkInstalledVersion(target.name, target.version);
      const isDir = target.kind === 'path';
      await withMarketplace({ openSandbox: isDir ? openSandbox : undefined }, async (market) => {
        const path = options.output ?? `${defaultName(target)}${BUNDLE_EXTENSION}`;
        const bundle = await market.exportBundle(isDir ? { dir: target.path } : { installed: target.name }, path);
        process.stdout.write(`exported ${printable(bundle.name)}@${printable(bundle.version)} to ${path} (signed by ${bundle.fingerprint})\n`);
      });
    }));
}

/** The folder's own name, or the installed plugin's (without the version asked for). */
function defaultName(target: PluginArgument): string | undefined {
  return target.kind === 'installed' ? target.name : target.path.replace(/[\\/]+$/, '').split(/[\\/]/).pop();
}

/** `name@version` exports only the version installed, as `run` runs only it. */
async function checkInstalledVersion(name: string, version: string): Promise<void> {
  const installed = await installedVersion(name);
  if (installed !== version) throw versionNotInstalled(name, version, installed, 'export');
}

/** Signing a folder checks its syntax first: a sandbox for that alone (no warm pool). */
async function openSandbox(): Promise<SyntaxChecker> {
  const runtime = new SandboxRuntime({ warmPoolSize: 0, dataHome: resolveDataHome() });
  return { checkSyntax: (code, filename) => runtime.checkSyntax(code, filename), close: () => runtime.close() };
}
