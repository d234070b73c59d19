import { Option, type Command } from 'commander';
import { starterTemplates } from '../../app/templates.ts';
import { MULTI_FILE_LAYOUT } from '../../library/layouts.ts';
import { initPlugin } from '../../library/workspace.ts';
import { assertPluginName, INPUT_TYPES, manifestSchema, type ManifestInput } from '../../library/manifest.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { PluginFiles } from '../../shared/plugin-files.ts';
import { printable } from '../terminal.ts';
import { argument, runAction } from '../output.ts';

interface InitOptions {
  name?: string;
  description?: string;
  tags?: string;
  inputType?: (typeof INPUT_TYPES)[number];
  template?: string;
  layout: 'single' | 'multi';
}

/**
 * A starter's code and what its manifest says (the folder names the plugin). Its models are exactly
 * the ones its code calls (src/app/model-detection.test.ts reads every starter with the sandbox's
 * parser), so a new folder never declares a model it does not use.
 */
function starter(id: string | undefined): Partial<ManifestInput> & { code?: string; files?: PluginFiles } {
  if (id === undefined) return {};
  const found = starterTemplates().find((template) => template.id === id);
  if (!found) {
    throw new WasmForgeError('BAD_INPUT', `There is no starter template "${id.slice(0, 80)}"`, { hint: `The templates: ${starterTemplates().map((t) => t.id).join(', ')}` });
  }
  const { description, tags, models, inputType, inputHint } = found.manifest;
  return { code: found.code, description, tags, models, inputType, inputHint };
}

/** The multi-file layout, or a starter (a starter is one file: the two do not mix). */
function startingPoint(options: InitOptions): ReturnType<typeof starter> {
  if (options.layout === 'single') return starter(options.template);
  if (options.template !== undefined) throw new WasmForgeError('BAD_INPUT', '--layout multi and --template do not mix: the starters are single files', { hint: 'Leave out one of them.' });
  return MULTI_FILE_LAYOUT;
}

const OPTION_OF: Record<string, string> = { name: '--name', description: '--description', tags: '--tags', inputType: '--input-type' };

/** The manifest fields given as options, each by the manifest's rule: a BAD_INPUT naming the option and the value. */
function checkOptions(chosen: Partial<ManifestInput>): void {
  const { name, ...rest } = chosen;
  if (name !== undefined) assertPluginName(name);
  const parsed = manifestSchema.pick({ description: true, tags: true, inputType: true }).partial().safeParse(rest);
  const issue = parsed.error?.issues[0];
  if (!issue) return;
  const [field, index] = issue.path;
  const value = typeof index === 'number' ? chosen.tags?.[index] : undefined;
  throw new WasmForgeError('BAD_INPUT', `${OPTION_OF[String(field)] ?? String(field)}: ${value !== undefined ? `"${value.slice(0, 80)}": ` : ''}${issue.message}`);
}

/** `wasmforge init <dir>`: a new plugin folder (plugin.py, plugin.json, tests/; with --layout multi also helpers.py and a data file). */
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
    .addOption(new Option('--layout <layout>', 'single: plugin.py alone; multi: plugin.py importing helpers.py, which reads prompts/summary.txt').choices(['single', 'multi']).default('single'))
    .action((dir: string, options: InitOptions) => runAction(async () => {
      const given: Partial<ManifestInput> = {
        name: options.name,
        description: options.description,
        tags: options.tags?.split(',').map((tag) => tag.trim()).filter(Boolean),
        inputType: options.inputType,
      };
      const chosen = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
      // What the options say is checked as options (exit 2, naming the option), not as a plugin.json that does not exist yet.
      argument(() => checkOptions(chosen));
      // A template that does not exist, or one with --layout multi, is a usage error (exit 2), checked before anything is written.
      const from = argument(() => startingPoint(options));
      const plugin = await initPlugin(dir, { ...from, ...chosen });
      const others = Object.keys(plugin.files);
      process.stdout.write(`created ${printable(plugin.manifest.name)}@${plugin.manifest.version} in ${plugin.dir}${others.length ? ` (plugin.py, ${others.join(', ')})` : ''}\n`);
    }));
}
