import type { Command } from 'commander';
import { displayNameSchema, type DisplayNameResult } from '../../shared/api/schemas/author.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import { withApi } from '../context.ts';
import { argument, runAction } from '../output.ts';
import { printJson, printable } from '../terminal.ts';

/** `wasmforge author show|name`: who publishes from this data folder (Settings › Author identity in the app). */
export function register(program: Command): void {
  const author = program.command('author').description('Your author identity: the display name the marketplace shows, and your signing key');

  author.command('show')
    .description('Show your display name and the fingerprint of the key that signs your versions')
    .option('--json', 'print as JSON')
    .action((options: { json?: boolean }) => runAction(async () => {
      const identity = await withApi({}, (client) => client.call('author.identity', {}));
      if (options.json) return printJson(identity);
      process.stdout.write(`display name: ${identity.displayName ? printable(identity.displayName) : '(none: your database role shows)'}\n`
        + `key fingerprint: ${identity.fingerprint}\n`);
    }));

  author.command('name')
    .description('Set the name cards and pages show for your plugins; shared with the marketplace now if you have published there, else with your first publish')
    .argument('<display-name>', `up to 100 characters, no control characters; "" removes it (your database role shows)`)
    .option('--url <databaseUrl>', 'marketplace database URL (default: settings, then DATABASE_URL, else local)')
    .option('--json', 'print the result as JSON')
    .action((name: string, options: { url?: string; json?: boolean }) => runAction(async () => {
      const displayName = argument(() => checkedDisplayName(name));
      const result = await withApi({ databaseUrl: options.url }, (client) => client.call('author.setDisplayName', { displayName }));
      if (options.json) return printJson(result);
      process.stdout.write(`${describeResult(result)}\n`);
      if (result.error) process.stderr.write(`warning: ${result.error.code}: ${printable(result.error.message)}\n`);
    }));
}

function checkedDisplayName(name: string): string {
  const parsed = displayNameSchema.safeParse(name);
  if (parsed.success) return parsed.data;
  throw new WasmForgeError('BAD_INPUT', `That display name cannot be used: ${parsed.error.issues[0]?.message ?? 'not valid'}`, {
    hint: 'Use up to 100 characters on one line, or "" to remove it.',
  });
}

function describeResult(result: DisplayNameResult): string {
  const saved = result.displayName ? `display name set to "${printable(result.displayName)}"` : 'display name removed (your database role shows)';
  const where = printable(result.marketplace);
  if (result.sharing === 'shared') return `${saved}; ${where} shows it now`;
  if (result.sharing === 'first-publish') return `${saved}; ${where} shows it from your first publish there`;
  return `${saved} in the settings; ${where} could not take it now, your next publish shares it`;
}
