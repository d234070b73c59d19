import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropScratchDatabase, onPostgresServer, PG_SERVER } from '../support/postgres.ts';
import { CLI_BIN } from '../support/cli.ts';

// Issue #15: `db migrate` against a database that does not exist yet.
const created = `wf_cli_create_${process.pid}`;
const refused = `wf_cli_nocreate_${process.pid}`;
const weakRole = `wf_cli_weak_${process.pid}`;
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-migrate-'));
  await onPostgresServer((client) => client.query(`CREATE ROLE ${pg.escapeIdentifier(weakRole)} LOGIN NOCREATEDB`));
});
afterAll(async () => {
  await dropScratchDatabase(created, []);
  await dropScratchDatabase(refused, [weakRole]);
  await rm(home, { recursive: true, force: true });
});

const migrate = (databaseUrl: string) => execa(process.execPath, [CLI_BIN, 'db', 'migrate'], {
  reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, DATABASE_URL: databaseUrl }, timeout: 120_000,
});
const exists = (name: string) => onPostgresServer(async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);

describe('wasmforge db migrate on a database that is not there', () => {
  it('creates it when the role may, then migrates it', { timeout: 120_000 }, async () => {
    const result = await migrate(`${PG_SERVER}/${created}`);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`marketplace postgres://postgres@127.0.0.1:5432/${created}: created the database`);
    expect(result.stdout).toMatch(/: applied 1, 2, /);
    expect(await exists(created)).toBe(true);
    // Once there, it is only migrated.
    expect((await migrate(`${PG_SERVER}/${created}`)).stdout).not.toContain('created the database');
  });

  it('says the one command that creates it when the role may not', { timeout: 60_000 }, async () => {
    const url = PG_SERVER.replace('postgres@', `${weakRole}@`);
    const result = await migrate(`${url}/${refused}`);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`error DB_UNAVAILABLE: The database "${refused}" does not exist, and the role ${weakRole} may not create it`);
    expect(result.stderr).toContain(`hint: Create it once as a superuser: \`createdb --owner ${weakRole} ${refused}\``);
    expect(await exists(refused)).toBe(false);
  });
});
