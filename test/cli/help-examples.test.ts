import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CLI_BIN } from '../support/cli.ts';

// clig.dev (issue #15): every command's --help ends with examples, once.
const COMMANDS = [
  [], ['run'], ['init'], ['test'], ['models'], ['models', 'pull'], ['models', 'approve'], ['models', 'revoke'], ['models', 'rm'],
  ['doctor'], ['serve'], ['rename'], ['rm'], ['publish'], ['yank'], ['unpublish'], ['search'], ['install'], ['update'], ['list'],
  ['uninstall'], ['export'], ['import'], ['author'], ['author', 'show'], ['author', 'name'], ['db'], ['db', 'migrate'], ['db', 'add-author'], ['db', 'authors'], ['db', 'status'], ['db', 'outbox'],
  ['engines'], ['engines', 'prepare'],
];

describe('wasmforge <command> --help', () => {
  it('shows one "Examples:" block for every command', { timeout: 180_000 }, async () => {
    const missing: string[] = [];
    for (const command of COMMANDS) {
      const { stdout } = await execa(process.execPath, [CLI_BIN, ...command, '--help'], { reject: false });
      if (stdout.split('Examples:').length !== 2) missing.push(command.join(' ') || '(wasmforge)');
    }
    expect(missing).toEqual([]);
  });
});
