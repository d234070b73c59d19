import { resolve } from 'node:path';
import type { Command } from 'commander';
import { deletePlugin, openPlugin, renamePlugin } from '../../library/workspace.ts';
import { assertPluginName } from '../../library/manifest.ts';
import { printable } from '../terminal.ts';
import { confirm } from '../confirm.ts';
import { withApi } from '../context.ts';
import { argument, runAction } from '../output.ts';
import { isPluginPath } from '../plugin-source.ts';

/**
 * `wasmforge rename <plugin> <new-name>` and `wasmforge rm <plugin>`: a plugin folder on disk (as
 * `init` makes them), or by name one of the app's workspace plugins (<data folder>/workspace/<name>).
 */
export function register(program: Command): void {
  program
    .command('rename')
    .description('Rename a plugin: a plugin folder, or a plugin of the app\'s workspace by name')
    .argument('<plugin>', 'a plugin folder, or the name of a workspace plugin')
    .argument('<new-name>', 'the new plugin name')
    .action((plugin: string, newName: string) => runAction(async () => {
      argument(() => assertPluginName(newName));
      const renamed = isPluginPath(plugin) ? (await renamePlugin(plugin, newName)).dir : await renameInWorkspace(plugin, newName);
      process.stdout.write(`renamed ${printable(plugin)} to ${printable(newName)}${renamed ? ` (${printable(renamed)})` : ''}\n`);
    }));

  program
    .command('rm')
    .alias('delete')
    .description('Delete a plugin folder, or a plugin of the app\'s workspace by name (asks first; --yes in scripts)')
    .argument('<plugin>', 'a plugin folder, or the name of a workspace plugin')
    .option('-y, --yes', 'delete without asking (needed when stdin is not a terminal)')
    .action((plugin: string, options: { yes?: boolean }) => runAction(async () => {
      const deleted = isPluginPath(plugin) ? await removeFolder(plugin, options.yes) : await removeFromWorkspace(plugin, options.yes);
      if (!deleted) {
        process.stderr.write('nothing was deleted\n');
        return 1;
      }
      process.stdout.write(`deleted ${printable(plugin)}\n`);
    }));
}

/** As the Builder renames: the same code and manifest saved under the new name, which must be free. */
async function renameInWorkspace(name: string, newName: string): Promise<undefined> {
  await withApi({}, async (client) => {
    const { code, manifest } = await client.call('plugins.get', { source: 'workspace', name });
    await client.call('plugins.save', { code, manifest: { ...manifest, name: newName }, previousName: name });
  });
  return undefined;
}

async function removeFolder(dir: string, yes?: boolean): Promise<boolean> {
  const plugin = await openPlugin(dir);
  if (!(await confirm(`Delete the plugin ${printable(plugin.manifest.name)} and its folder ${printable(resolve(dir))}?`, { yes }))) return false;
  await deletePlugin(dir);
  return true;
}

async function removeFromWorkspace(name: string, yes?: boolean): Promise<boolean> {
  return withApi({}, async (client) => {
    await client.call('plugins.get', { source: 'workspace', name });
    if (!(await confirm(`Delete the workspace plugin ${printable(name)}?`, { yes }))) return false;
    await client.call('plugins.delete', { name });
    return true;
  });
}
