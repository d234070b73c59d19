import type { Command } from 'commander';
import { initPlugin } from '../../library/workspace.ts';
import { INPUT_TYPES } from '../../library/manifest.ts';
import { printable } from '../terminal.ts';
import { runAction } from '../output.ts';

interface InitOptions {
  name?: string;
  description?: string;
  tags?: string;
  inputType?: (typeof INPUT_TYPES)[number];
}

/** `wasmforge init <dir>`: a new plugin folder (plugin.py, plugin.json, tests/). */
export function register(program: Command): void {
  program
    .command('init')
    .description('Create a plugin folder with plugin.py, plugin.json and tests/')
    .argument('<dir>', 'the new folder (must not exist, or be empty)')
    .option('--name <name>', 'plugin name (default: from the folder name)')
    .option('--description <text>', 'one-line description')
    .option('--tags <tags>', 'comma-separated tags')
    .option('--input-type <type>', `input type: ${INPUT_TYPES.join(', ')}`)
    .action((dir: string, options: InitOptions) => runAction(async () => {
      const plugin = await initPlugin(dir, {
        name: options.name,
        description: options.description,
        tags: options.tags?.split(',').map((tag) => tag.trim()).filter(Boolean),
        inputType: options.inputType,
      });
      process.stdout.write(`created ${printable(plugin.manifest.name)}@${plugin.manifest.version} in ${plugin.dir}\n`);
    }));
}
