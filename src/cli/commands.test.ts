import { Command, Help } from 'commander';
import { describe, expect, it } from 'vitest';
import { CLI_COMMANDS } from './commands.ts';

describe('the table of commands the help lists without loading them', () => {
  it('says what each command file defines: name, aliases, options, arguments and description', async () => {
    const help = new Help();
    for (const entry of CLI_COMMANDS) {
      const program = new Command('wasmforge');
      (await entry.load()).register(program);
      const defined = program.commands.find((command) => command.name() === entry.names[0]);
      expect(defined, `${entry.names[0]} is defined by the file its entry loads`).toBeDefined();
      expect({ names: [defined!.name(), ...defined!.aliases()], term: help.subcommandTerm(defined!), description: defined!.description() })
        .toEqual({ names: entry.names, term: entry.term, description: entry.description });
    }
  });

  it('lists every command the files define', async () => {
    const program = new Command('wasmforge');
    for (const load of new Set(CLI_COMMANDS.map((entry) => entry.load))) (await load()).register(program);
    expect(program.commands.map((command) => command.name()).sort()).toEqual(CLI_COMMANDS.map((entry) => entry.names[0]).sort());
  });
});
