import { Option, type Command } from 'commander';
import { resolveDataHome } from '../../library/home.ts';
import { addAuthor, admitExistingAuthor, resetAuthorPassword, withPool } from '../../marketplace/admin.ts';
import { describeDatabaseUrl } from '../../marketplace/db/connect.ts';
import { configuredDatabaseUrl } from '../../marketplace/service.ts';
import { runAction, UsageError } from '../output.ts';
import { promptSecret } from '../secret-prompt.ts';

interface AddAuthorOptions {
  passwordStdin?: boolean;
  /** Admit a role that already exists on the server (an author of another marketplace there). */
  existing?: boolean;
  /** A new password for an author of this marketplace who lost theirs. */
  resetPassword?: boolean;
  url?: string;
  printUrlToStdout?: boolean;
  /** Refused: a command line shows in the process list. */
  password?: string;
}

/**
 * `wasmforge db add-author <role>`. No secret is ever taken from the command line (any user of the
 * machine sees it in the process list), and the author's URL, password included, goes only to a
 * terminal unless asked for by name: a log or a CI transcript must not keep it.
 */
export function registerAddAuthor(db: Command): void {
  db.command('add-author')
    .description('Create a login role for an author on the shared marketplace (run as the database owner); shows their URL once, on a terminal')
    .argument('<role>', 'lowercase letters, digits and underscores')
    .option('--password-stdin', "read the author's password from stdin (default: asked at a terminal, else a random one)")
    .option('--existing', 'admit a role that already exists on this server (say, an author of another marketplace there); its password stays')
    .option('--reset-password', 'give an author of this marketplace who lost their URL a new password, and show the new URL once')
    .option('--url <databaseUrl>', 'the owner connection URL, without its password (default: DATABASE_URL, the settings, or asked at a terminal)')
    .option('--print-url-to-stdout', "print the author's URL, password included, even when stdout is not a terminal")
    .addOption(new Option('--password <password>').hideHelp())
    .addHelpText('after', `
Examples:
  DATABASE_URL=postgres://owner@db.example.com/market wasmforge db add-author ada
  wasmforge db add-author ada --reset-password        # Ada lost her URL
  wasmforge db add-author grace --existing            # an author of another marketplace on this server
  wasmforge db authors                                # who is an author here`)
    .action((role: string, options: AddAuthorOptions) => runAction(() => addAuthorCommand(role, options)));
}

async function addAuthorCommand(role: string, options: AddAuthorOptions): Promise<void> {
  refuseSecretsInArguments(options);
  if (options.existing && options.resetPassword) throw new UsageError('--existing keeps the password and --reset-password changes it: give one of them');
  const showUrl = Boolean(options.printUrlToStdout || process.stdout.isTTY);
  const ownerUrl = await ownerConnectionUrl(options);
  if (options.existing) {
    await withPool(ownerUrl, (pool) => admitExistingAuthor(pool, role));
    const login = new URL(ownerUrl);
    login.username = role;
    process.stdout.write(`${role} is now an author of this marketplace too; their URL is ${describeDatabaseUrl(login.toString())} with their existing password\n`);
    return;
  }
  const password = await authorPassword(role, options);
  if (password === undefined && !showUrl) {
    throw new UsageError('the random password would be shown nowhere, as stdout is not a terminal: '
      + 'give one with --password-stdin, or add --print-url-to-stdout to print the URL anyway');
  }
  const author = await withPool(ownerUrl, (pool) => (options.resetPassword ? resetAuthorPassword(pool, role, password) : addAuthor(pool, role, password)));
  const done = options.resetPassword ? 'has a new password' : 'created';
  const login = new URL(ownerUrl);
  login.username = author.role;
  login.password = author.password;
  if (showUrl) {
    process.stdout.write(`author ${author.role} ${done}; their marketplace URL (shown this once; it holds their password):\n${login.toString()}\n`);
    return;
  }
  process.stdout.write(`author ${author.role} ${done}\n`);
  process.stderr.write(`note: their URL is ${describeDatabaseUrl(login.toString())} with the password you gave; `
    + 'it is not printed whole as stdout is not a terminal (--print-url-to-stdout prints it)\n');
}

/** (A --url holding a password is refused for every command: secret-arguments.ts.) */
function refuseSecretsInArguments(options: AddAuthorOptions): void {
  if (options.password !== undefined) {
    throw new UsageError('--password would show the password to every user of this machine (process list): '
      + 'pipe it to --password-stdin, or leave it out to be asked at a terminal (or to get a random one)');
  }
}

/** --url, DATABASE_URL, the settings, or asked at a terminal (hidden, as it may hold the owner's password). */
async function ownerConnectionUrl(options: AddAuthorOptions): Promise<string> {
  const known = options.url || process.env.DATABASE_URL || await configuredDatabaseUrl(resolveDataHome());
  if (known) return known;
  if (!process.stdin.isTTY || options.passwordStdin) {
    throw new UsageError('no owner connection URL: set DATABASE_URL=postgres://owner:password@host/database (or pass --url without a password)');
  }
  const asked = (await promptSecret('Owner connection URL (postgres://owner:password@host/database): ')).trim();
  if (!asked) throw new UsageError('no owner connection URL given');
  return asked;
}

/** The password from stdin, or typed twice at a terminal; undefined means a random one. */
async function authorPassword(role: string, options: AddAuthorOptions): Promise<string | undefined> {
  if (options.passwordStdin) {
    const password = (await readAllStdin()).replace(/\r?\n$/, '');
    if (!password) throw new UsageError('--password-stdin: stdin held no password');
    return password;
  }
  if (!process.stdin.isTTY) return undefined;
  const password = await promptSecret(`Password for ${role} (Enter for a random one): `);
  if (!password) return undefined;
  if ((await promptSecret('The same password again: ')) !== password) throw new UsageError('the two passwords differ; nothing was created');
  return password;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
