import type { Command } from 'commander';
import { starterTemplates } from '../../app/templates.ts';
import { initPlugin } from '../../library/workspace.ts';
import { INPUT_TYPES, type ManifestInput } from '../../library/manifest.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import { printable } from '../terminal.ts';
import { runAction } from '../output.ts';

interface InitOptions {
  name?: string;
  description?: string;
  tags?: string;
  inputType?: (typeof INPUT_TYPES)[number];
  template?: string;
}

/**
 * A starter's code and what its manifest says (the folder names the plugin). Its models are exactly
 * the ones its code calls (src/app/model-detection.test.ts reads every starter with the sandbox's
 * parser), so a new folder never declares a model it does not use.
 */
function starter(id: string | undefined): Partial<ManifestInput> & { code?: string } {
  if (id === undefined) return {};
  const found = starterTemplates().find((template) => template.id === id);
  if (!found) {
    throw new WasmForgeError('BAD_INPUT', `There is no starter template "${id.slice(0, 80)}"`, { hint: `The templates: ${starterTemplates().map((t) => t.id).join(', ')}` });
  }
  const { description, tags, models, inputType, inputHint } = found.manifest;
  return { code: found.code, description, tags, models, inputType, inputHint };
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
    .option('--template <id>', `start from a starter: ${starterTemplates().map((t) => t.id).join(', ')}`)
    .action((dir: string, options: InitOptions) => runAction(async () => {
      const given: Partial<ManifestInput> = {
        name: options.name,
        description: options.description,
        tags: options.tags?.split(',').map((tag) => tag.trim()).filter(Boolean),
        inputType: options.inputType,
      };
      const chosen = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
      const plugin = await initPlugin(dir, { ...starter(options.template), ...chosen });
      process.stdout.write(`created ${printable(plugin.manifest.name)}@${plugin.manifest.version} in ${plugin.dir}\n`);
    }));
}
