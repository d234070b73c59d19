import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { createScratchDatabase, dropScratchDatabase } from '../support/postgres.ts';

const bin = join(process.cwd(), 'bin', 'wasmforge.js');
const migrated = `wf_cli_doctor_url_${process.pid}`;
const empty = `wf_cli_doctor_empty_${process.pid}`;
let migratedUrl: string;
let emptyUrl: string;
let home: string;

beforeAll(async () => {
  migratedUrl = await createScratchDatabase(migrated);
  await migrateMarketplace(migratedUrl);
  emptyUrl = await createScratchDatabase(empty);
  home = await mkdtemp(join(tmpdir(), 'wf-cli-doctor-url-'));
});
afterAll(async () => {
  await dropScratchDatabase(migrated, []);
  await dropScratchDatabase(empty, []);
  await rm(home, { recursive: true, force: true });
});

interface Line { check: string; ok: boolean; optional?: boolean; detail: string; fix?: string }

async function doctor(args: string[]): Promise<{ database?: Line }> {
  // Ollama on a port nothing listens on: its line fails at once, the database line is what is checked.
  const result = await execa(process.execPath, [bin, 'doctor', '--json', ...args], {
    reject: false, stdin: 'ignore', timeout: 60_000, env: { WASMFORGE_HOME: home, DATABASE_URL: '', OLLAMA_HOST: 'http://127.0.0.1:9' },
  });
  const lines = JSON.parse(result.stdout) as Line[];
  return { database: lines.find((line) => line.check === 'database') };
}

describe('wasmforge doctor --url: another marketplace database, checked without changing the settings', () => {
  it('checks the database --url names: reachable, as whom, its schema', async () => {
    const { database } = await doctor(['--url', migratedUrl]);
    expect(database).toMatchObject({ ok: true, optional: false });
    expect(database?.detail).toMatch(new RegExp(`^marketplace .*${migrated}: reachable in \\d+ ms as postgres, schema current`));
  });

  it('names the fix for a database that was never migrated', async () => {
    const { database } = await doctor(['--url', emptyUrl]);
    expect(database).toMatchObject({ ok: false, optional: false });
    expect(database?.detail).toContain(empty);
    expect(database?.fix).toContain('wasmforge db migrate');
  });

  it('names `wasmforge db migrate` (which creates it) for a database that does not exist', async () => {
    const { database } = await doctor(['--url', migratedUrl.replace(migrated, `wf_cli_doctor_absent_${process.pid}`)]);
    expect(database).toMatchObject({ ok: false, optional: false });
    expect(database?.fix).toContain('wasmforge db migrate');
  });

  it('an unparseable --url is a usage error (exit 2, BAD_INPUT), not an unreachable database', async () => {
    const result = await execa(process.execPath, [bin, 'doctor', '--url', 'notaurl'], { reject: false, stdin: 'ignore', timeout: 60_000, env: { WASMFORGE_HOME: home, DATABASE_URL: '' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('BAD_INPUT');
    expect(result.stderr).toContain('postgres://user:password@host:5432/database');
    expect(result.stdout).toBe('');
  });

  it('leaves the settings as they were: the next doctor checks the local marketplace again', async () => {
    const { database } = await doctor([]);
    expect(database).toMatchObject({ ok: true, optional: true });
    expect(database?.detail).toMatch(/^local marketplace/);
    const files = await readdir(home);
    if (files.includes('settings.json')) expect(await readFile(join(home, 'settings.json'), 'utf8')).not.toContain(migrated);
  });

  it('refuses a --url holding a password (exit 2), like every command', async () => {
    const url = new URL(migratedUrl);
    url.password = 'secret';
    const result = await execa(process.execPath, [bin, 'doctor', '--url', url.toString()], { reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--url holds a password');
  });
});
