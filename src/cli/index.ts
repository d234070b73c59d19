import { Command, CommanderError, Help } from 'commander';
import { CLI_COMMANDS, type CliCommand } from './commands.ts';

/**
 * `wasmforge`: one command per file under commands/; exit 0 ok, 1 plugin/operation failed, 2 usage.
 * Only the command called is loaded (with the app, zod, the databases it needs): every other one
 * is listed from the table in commands.ts, so `--help` loads commander and nothing else.
 */
const program = new Command('wasmforge')
  .description('Write, test, run and share AI-powered Python plugins in a WebAssembly sandbox')
  .version('0.1.0', '-v, --version', 'print the version')
  .exitOverride()
  .configureOutput({ writeErr: (text) => process.stderr.write(text) });

const called = calledCommand(process.argv.slice(2));
if (called) {
  (await called.load()).register(program);
  // Checked before the action of whatever command runs; loaded only when one can.
  (await import('./secret-arguments.ts')).refuseUrlPasswords(program);
}
addListedCommands(program);
(await import('./examples.ts')).addExamples(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  const { printError, UsageError } = await import('./output.ts');
  // A usage error found before any action ran (a hook's).
  if (!(error instanceof UsageError)) throw error;
  printError(error);
  process.exit(2);
}

/** The command the arguments name (`help <command>` included): the first word that is not an option. */
function calledCommand(args: string[]): CliCommand | undefined {
  const words = args.filter((arg) => !arg.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return name === undefined ? undefined : CLI_COMMANDS.find((command) => command.names.includes(name));
}

/**
 * Every command not loaded, by its name and description only: enough for the help and for
 * commander's "unknown command" suggestions. Help prints them as their real definitions would.
 */
function addListedCommands(root: Command): void {
  const terms = new Map<Command, string>();
  for (const entry of CLI_COMMANDS) {
    const [name, ...aliases] = entry.names;
    if (root.commands.some((command) => command.name() === name)) continue;
    const listed = root.command(name!).aliases(aliases).description(entry.description);
    terms.set(listed, entry.term);
  }
  const help = new Help();
  root.configureHelp({ subcommandTerm: (command) => terms.get(command) ?? help.subcommandTerm(command) });
}
