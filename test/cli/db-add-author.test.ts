import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { createScratchDatabase, dropScratchDatabase, onPostgresServer } from '../support/postgres.ts';

const database = `wf_cli_authors_${process.pid}`;
const role = (name: string) => `${database}_${name}`;
const roles = ['refused', 'random', 'piped', 'typed', 'lost', 'elsewhere'].map(role);
let ownerUrl: string;
let home: string;

beforeAll(async () => {
  ownerUrl = await createScratchDatabase(database);
  await migrateMarketplace(ownerUrl);
  home = await mkdtemp(join(tmpdir(), 'wf-cli-authors-'));
}, 120_000);
afterAll(async () => {
  await dropScratchDatabase(database, roles);
  await rm(home, { recursive: true, force: true });
});

/** stdin and stdout are pipes here, as in a script or CI job. */
const piped = (args: string[], input?: string) => execa(process.execPath, ['bin/wasmforge.js', 'db', 'add-author', ...args], {
  reject: false, ...(input === undefined ? { stdin: 'ignore' as const } : { input }), env: { WASMFORGE_HOME: home, DATABASE_URL: ownerUrl }, timeout: 60_000,
});

const roleExists = (name: string) => onPostgresServer(async (client) => (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [name])).rowCount === 1);

describe('wasmforge db add-author', () => {
  it('takes no secret from the command line, and makes no password it would show nowhere (exit 2, nothing created)', async () => {
    const [password, url, nowhere] = await Promise.all([
      piped([role('refused'), '--password', 'visible-to-all']),
      piped([role('refused'), '--url', ownerUrl.replace('postgres@', 'postgres:owner-secret@')]),
      piped([role('refused')]),
    ]);
    expect([password.exitCode, password.stderr]).toEqual([2, expect.stringContaining('--password-stdin')]);
    expect([url.exitCode, url.stderr]).toEqual([2, expect.stringContaining('DATABASE_URL')]);
    expect([nowhere.exitCode, nowhere.stderr]).toEqual([2, expect.stringContaining('--print-url-to-stdout')]);
    expect(await roleExists(role('refused'))).toBe(false);
  });

  it('is not alone: no command takes a --url holding a password, and the refusal does not repeat it', async () => {
    const search = await execa(process.execPath, ['bin/wasmforge.js', 'search', 'x', '--url', 'postgres://someone:url-secret@127.0.0.1:9/market'], {
      reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, DATABASE_URL: '' }, timeout: 60_000,
    });
    expect([search.exitCode, search.stderr]).toEqual([2, expect.stringContaining('put the URL in DATABASE_URL')]);
    expect(search.stdout + search.stderr).not.toContain('url-secret');
  });

  it('reads the password from stdin and never prints it when stdout is not a terminal', async () => {
    const result = await piped([role('piped'), '--password-stdin'], 'piped-Secret-42\n');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`author ${role('piped')} created`);
    expect(result.stderr).toContain(`postgres://${role('piped')}@127.0.0.1:5432/${database}`);
    expect(result.stdout + result.stderr).not.toContain('piped-Secret-42');
    expect(await roleExists(role('piped'))).toBe(true);
  });

  it('prints the URL with a random password to a pipe only when asked by name', async () => {
    const result = await piped([role('random'), '--print-url-to-stdout']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n').at(-1)).toMatch(new RegExp(`^postgres://${role('random')}:[\\w-]{20,}@127\\.0\\.0\\.1:5432/${database}$`));
  });

  it('asks for the password at a terminal without echoing it, and shows the URL there once', async () => {
    const command = `node bin/wasmforge.js db add-author ${role('typed')}`;
    // util-linux `script` runs the CLI in a real pseudo-terminal; what it prints is the screen.
    const child = execa('script', ['-qfec', command, '/dev/null'], { reject: false, env: { WASMFORGE_HOME: home, DATABASE_URL: ownerUrl }, timeout: 60_000 });
    let screen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      screen += chunk.toString('utf8');
      if (/random one\): $/.test(screen) || /again: $/.test(screen)) child.stdin?.write('Typed-pw_123\r');
    });
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(screen.match(/Typed-pw_123/g)).toHaveLength(1);
    expect(screen).toContain(`postgres://${role('typed')}:Typed-pw_123@127.0.0.1:5432/${database}`);
    expect(await roleExists(role('typed'))).toBe(true);
  });

  it('gives an author who lost their URL a new password, admits an existing role only with --existing, and lists the authors', async () => {
    await piped([role('lost'), '--password-stdin'], 'first-Password-1\n');
    const reset = await piped([role('lost'), '--reset-password', '--print-url-to-stdout']);
    expect(reset.exitCode).toBe(0);
    const url = reset.stdout.split('\n').at(-1) ?? '';
    expect(url).toMatch(new RegExp(`^postgres://${role('lost')}:[\\w-]{20,}@`));
    expect(url).not.toContain('first-Password-1');

    await onPostgresServer((client) => client.query(`CREATE ROLE ${role('elsewhere')} LOGIN`));
    const refused = await piped([role('elsewhere'), '--password-stdin'], 'x-Password-2\n');
    expect([refused.exitCode, refused.stderr]).toEqual([1, expect.stringContaining(`db add-author ${role('elsewhere')} --existing`)]);
    const notHere = await piped([role('elsewhere'), '--reset-password', '--print-url-to-stdout']);
    expect([notHere.exitCode, notHere.stderr]).toEqual([1, expect.stringContaining('not an author of this marketplace')]);
    const admitted = await piped([role('elsewhere'), '--existing']);
    expect([admitted.exitCode, admitted.stdout]).toEqual([0, expect.stringContaining('is now an author of this marketplace')]);

    const listed = await execa(process.execPath, ['bin/wasmforge.js', 'db', 'authors', '--json'], {
      reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, DATABASE_URL: ownerUrl }, timeout: 60_000,
    });
    expect(listed.exitCode).toBe(0);
    const authors = (JSON.parse(listed.stdout) as Array<{ role: string }>).map((author) => author.role);
    expect(authors).toEqual(expect.arrayContaining([role('lost'), role('elsewhere'), role('piped')]));
  });
});
