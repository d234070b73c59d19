import type { Command } from 'commander';
import { UsageError } from './output.ts';

/**
 * A command line is visible to every user of the machine (the process list, shell history), so a
 * database URL given with `--url` must not hold a password. Checked once for every command, before
 * its action; the refusal never repeats the URL.
 */
export function refuseUrlPasswords(program: Command): void {
  program.hook('preAction', (_program, command) => {
    const url: unknown = command.opts().url;
    if (typeof url === 'string' && holdsPassword(url)) {
      throw new UsageError('--url holds a password, which every user of this machine could read in the process list: '
        + 'put the URL in DATABASE_URL instead, or leave the password out of --url (PGPASSWORD or ~/.pgpass then supply it)');
    }
  });
}

function holdsPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    // Not a URL (a key=value connection string, say): it may hold one.
    return /password/i.test(url);
  }
}
