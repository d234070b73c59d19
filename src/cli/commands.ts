import type { Command } from 'commander';

/** A file under commands/: it defines its commands (options, action) on the program. */
export interface CommandModule {
  register(program: Command): void;
}

/**
 * Every top-level command as the help lists it, and the file that defines it, loaded only when
 * that command is called. The terms and descriptions repeat the files' own definitions so the
 * help needs none of them loaded; commands.test.ts fails when the two differ.
 */
export interface CliCommand {
  /** The name, then its aliases. */
  names: string[];
  /** As commander's help prints it: name, aliases, `[options]`, arguments. */
  term: string;
  description: string;
  load(): Promise<CommandModule>;
}

const run = () => import('./commands/run.ts');
const workspace = () => import('./commands/workspace.ts');
const publish = () => import('./commands/publish.ts');
const install = () => import('./commands/install.ts');

export const CLI_COMMANDS: CliCommand[] = [
  { names: ['run'], term: 'run [options] <plugin>', load: run,
    description: 'Run a plugin (a .py file, a plugin folder, or an installed plugin) in the sandbox' },
  { names: ['serve'], term: 'serve [options]', load: () => import('./commands/serve.ts'),
    description: 'Serve the app (UI and API) over HTTP for a browser, on this machine or for a team' },
  { names: ['models'], term: 'models [options]', load: () => import('./commands/models.ts'),
    description: 'Show the approved, installed and loaded models; approve, revoke, pull or remove one' },
  { names: ['engines'], term: 'engines [options]', load: () => import('./commands/engines.ts'),
    description: "Show the sandbox engines; `engines prepare` compiles WasmEdge's python.wasm to native code now" },
  { names: ['doctor'], term: 'doctor [options]', load: () => import('./commands/doctor.ts'),
    description: 'Check Ollama, the models, the sandbox engines and the marketplace database, with the fix for each problem; name the newest log file' },
  { names: ['test'], term: 'test [options] <plugin>', load: () => import('./commands/test.ts'),
    description: "Run a plugin's test cases (tests/*.json: input, recorded AI answers, expected output) offline" },
  { names: ['init'], term: 'init [options] <dir>', load: () => import('./commands/init.ts'),
    description: 'Create a plugin folder with plugin.py, plugin.json and tests/' },
  { names: ['rename'], term: 'rename <plugin> <new-name>', load: workspace,
    description: "Rename a plugin: a plugin folder, or a plugin of the app's workspace by name" },
  { names: ['rm', 'delete'], term: 'rm|delete [options] <plugin>', load: workspace,
    description: "Delete a plugin folder, or a plugin of the app's workspace by name (asks first; --yes in scripts)" },
  { names: ['publish'], term: 'publish [options] <dir>', load: publish,
    description: 'Check, sign and publish a plugin folder (queued and retried if the marketplace is unreachable)' },
  { names: ['yank'], term: 'yank [options] <spec>', load: publish,
    description: 'Revoke one of your published versions; installed copies refuse to run it' },
  { names: ['unpublish'], term: 'unpublish [options] <name>', load: publish,
    description: 'Remove your plugin and all its versions from the marketplace' },
  { names: ['search'], term: 'search [options] [text]', load: () => import('./commands/search.ts'),
    description: 'Search the marketplace by name, description and tags' },
  { names: ['install'], term: 'install [options] <spec>', load: install,
    description: 'Install a plugin from the marketplace (verified: sha256 and author signature)' },
  { names: ['update'], term: 'update [options] [name]', load: install,
    description: 'Install the newest good version of installed plugins that have one' },
  { names: ['list'], term: 'list [options]', load: () => import('./commands/list.ts'),
    description: 'List installed plugins' },
  { names: ['uninstall'], term: 'uninstall <name>', load: () => import('./commands/uninstall.ts'),
    description: 'Remove an installed plugin from this machine' },
  { names: ['author'], term: 'author', load: () => import('./commands/author.ts'),
    description: 'Your author identity: the display name the marketplace shows, and your signing key' },
  { names: ['db'], term: 'db', load: () => import('./commands/db.ts'),
    description: 'Local database and shared marketplace administration' },
  { names: ['export'], term: 'export [options] <source>', load: () => import('./commands/export.ts'),
    description: 'Write a signed single-file bundle of an installed plugin or of a plugin folder' },
  { names: ['import'], term: 'import [options] <file>', load: () => import('./commands/import.ts'),
    description: 'Install a plugin from a signed bundle file (the signature is verified)' },
];
