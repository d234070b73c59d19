import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, dropScratchDatabase } from '../support/postgres.ts';

const database = `wf_cli_search_${process.pid}`;
let url: string;
let home: string;

beforeAll(async () => {
  url = await createScratchDatabase(database);
  home = await mkdtemp(join(tmpdir(), 'wf-cli-search-'));
});
afterAll(async () => {
  await dropScratchDatabase(database, []);
  await rm(home, { recursive: true, force: true });
});

async function tables(): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")).rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describe('wasmforge search against a database that was never migrated', () => {
  it('fails with a typed error naming `wasmforge db migrate`, and changes nothing', async () => {
    const result = await execa(process.execPath, ['bin/wasmforge.js', 'search', 'anything', '--url', url], {
      reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, DATABASE_URL: '' }, timeout: 60_000,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).not.toContain('no plugins found');
    expect(result.stderr).toMatch(/^error NOT_FOUND: .*no WasmForge marketplace/m);
    expect(result.stderr).toContain('wasmforge db migrate');
    // A search is a read: it must not create the schema behind the owner's back.
    expect(await tables()).toEqual([]);
  });
});
