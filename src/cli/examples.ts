import type { Command } from 'commander';

/**
 * Examples for the `--help` of every command that does not write its own (clig.dev: people read
 * examples first). Keyed by the command's path; test/cli/help-examples.test.ts checks that every
 * command's help shows exactly one "Examples:" block.
 */
const EXAMPLES: Record<string, string[]> = {
  '': ['echo "some long text" | wasmforge run plugin.py', 'wasmforge init my-plugin --template original-simple', 'wasmforge models approve llama3', 'wasmforge <command> --help'],
  run: ['echo "some text" | wasmforge run plugin.py', 'wasmforge run my-plugin/ --input "hi" --json', 'wasmforge run summarize --input-file notes.txt --stream'],
  init: ['wasmforge init my-plugin', 'wasmforge init reviewer --template original-code-review --tags code'],
  test: ['wasmforge test my-plugin/', 'wasmforge test my-plugin/ --update'],
  models: ['wasmforge models', 'wasmforge models --json'],
  'models pull': ['wasmforge models pull llama3'],
  'models revoke': ['wasmforge models revoke llava:latest'],
  'models rm': ['wasmforge models rm gemma2:2b'],
  doctor: ['wasmforge doctor', 'wasmforge doctor --json', 'wasmforge doctor --url postgres://alice@db.example.com/market'],
  serve: ['wasmforge serve', 'wasmforge serve --port 0', 'wasmforge serve --host 0.0.0.0'],
  rename: ['wasmforge rename ./greeter welcomer', 'wasmforge rename greeter welcomer'],
  rm: ['wasmforge rm ./greeter', 'wasmforge rm greeter --yes'],
  yank: ['wasmforge yank summarize@1.0.0 --reason "wrong answers"'],
  unpublish: ['wasmforge unpublish summarize'],
  search: ['wasmforge search summarize', 'wasmforge search --tag translation --json'],
  list: ['wasmforge list', 'wasmforge list --check'],
  uninstall: ['wasmforge uninstall summarize'],
  export: ['wasmforge export summarize -o summarize.wfplugin', 'wasmforge export ./my-plugin'],
  engines: ['wasmforge engines', 'wasmforge engines --json'],
  'engines prepare': ['wasmforge engines prepare'],
  author: ['wasmforge author show', 'wasmforge author name "Alice Martin"'],
  'author show': ['wasmforge author show', 'wasmforge author show --json'],
  'author name': ['wasmforge author name "Alice Martin"', 'wasmforge author name ""   # remove it: your database role shows'],
  db: ['wasmforge db migrate', 'wasmforge db status'],
  'db migrate': ['wasmforge db migrate', 'DATABASE_URL=postgres://owner@db.example.com/market wasmforge db migrate'],
  'db status': ['wasmforge db status', 'wasmforge db status --json'],
  'db outbox': ['wasmforge db outbox', 'wasmforge db outbox --flush'],
};

/** Adds the examples above to the commands defined (a command that writes its own has no entry). */
export function addExamples(root: Command, path: string[] = []): void {
  const lines = EXAMPLES[path.join(' ')];
  if (lines) root.addHelpText('after', `\nExamples:\n${lines.map((line) => `  ${line}`).join('\n')}`);
  for (const command of root.commands) addExamples(command, [...path, command.name()]);
}
