import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { createScratchDatabase, dropScratchDatabase, PG_SERVER } from '../support/postgres.ts';
import type { ErrorInfo } from '../../src/shared/errors.ts';
import { addAuthor, migrateMarketplace } from '../../src/marketplace/admin.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { openLocalDatabase } from '../../src/library/local-db.ts';
import { openPgPool } from '../../src/marketplace/db/connect.ts';
import type { SqlExecutor } from '../../src/marketplace/db/executor.ts';
import { initPlugin, saveCode, saveManifest, openPlugin } from '../../src/library/workspace.ts';
import type { CheckSyntax } from '../../src/marketplace/publish.ts';

/** The machine's PostgreSQL (trust auth). Tests only ever touch databases and roles they create. */
export const PG_HOST = PG_SERVER;

export interface TestDatabase {
  name: string;
  adminUrl: string;
  admin: SqlExecutor;
  /**
   * Creates a login role for an author and returns its connection URL; `legacy`: as before
   * marketplaces had their own author groups (a member of wasmforge_author only).
   */
  author(label: string, options?: { legacy?: boolean }): Promise<string>;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const suffix = randomBytes(5).toString('hex');
  const name = `wasmforge_test_${suffix}`;
  await createScratchDatabase(name);
  const adminUrl = `${PG_HOST}/${name}`;
  const admin = openPgPool(adminUrl, { max: 2 });
  const roles: string[] = [];
  return {
    name,
    adminUrl,
    admin,
    async author(label, options) {
      const role = `wf_${suffix}_${label}`;
      if (options?.legacy) await admin.exec(`CREATE ROLE ${role} LOGIN PASSWORD 'test-password' IN ROLE wasmforge_author`);
      else await addAuthor(admin, role, 'test-password');
      roles.push(role);
      const url = new URL(adminUrl);
      url.username = role;
      url.password = 'test-password';
      return url.toString();
    },
    async drop() {
      await admin.close().catch(() => undefined);
      await dropScratchDatabase(name, roles);
    },
  };
}

/** A URL on a port where nothing listens: "the database is unreachable", without touching the real server. */
export const UNREACHABLE_URL = 'postgres://nobody@127.0.0.1:9/wasmforge';

/**
 * A fresh data folder. Its local database is copied from one migrated template per test file,
 * because creating a PGlite database (initdb) takes seconds and every simulated user needs one.
 */
export async function tempHome(label = 'home'): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `wasmforge-${label}-`));
  await cp(await templateDatabase(), join(path, 'db'), { recursive: true });
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

let template: Promise<string> | null = null;

function templateDatabase(): Promise<string> {
  template ??= (async () => {
    const home = await mkdtemp(join(tmpdir(), 'wasmforge-template-'));
    const local = await openLocalDatabase(home);
    await local.release();
    process.once('exit', () => rmSync(home, { recursive: true, force: true }));
    return local.dataDir;
  })();
  return template;
}

/** Stands in for SandboxRuntime.checkSyntax in tests that are not about the sandbox. */
export const acceptSyntax: CheckSyntax = async () => null;
export const rejectSyntax: CheckSyntax = async (): Promise<ErrorInfo> => ({ code: 'SYNTAX_ERROR', message: 'invalid syntax', line: 2, column: 5 });

/** Creates a plugin folder under `root` with the given name, version and code. */
export async function makePlugin(root: string, name: string, version = '1.0.0', code = `from platform_sdk import send_output\nsend_output("${name}")\n`,
  extra: { description?: string; tags?: string[] } = {}): Promise<string> {
  const dir = join(root, `${name}-${version}-${randomBytes(3).toString('hex')}`);
  await initPlugin(dir, { name, version, description: extra.description ?? `The ${name} plugin`, tags: extra.tags ?? [] });
  await saveCode(dir, code);
  return dir;
}

export async function bumpVersion(dir: string, version: string, code?: string): Promise<void> {
  const plugin = await openPlugin(dir);
  await saveManifest(dir, { ...plugin.manifest, version });
  if (code !== undefined) await saveCode(dir, code);
}

/** Runs one attack statement; the attack is judged by what holds afterwards, not by how it failed. */
export async function attempt(client: pg.Client, text: string, params: unknown[] = []): Promise<string> {
  try {
    await client.query(text, params);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? 'error';
  }
}

/** One migrated marketplace where Alice publishes and Carol installs, each with a data folder of their own. */
export interface AliceAndCarol {
  database: TestDatabase;
  alice: Marketplace;
  carol: Marketplace;
  aliceHome: string;
  carolHome: string;
  carolUrl: string;
  /** Reads Carol's local database (her library) while the work runs. */
  carolLocal<T>(work: (db: Awaited<ReturnType<typeof openLocalDatabase>>['db']) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function aliceAndCarol(label = ''): Promise<AliceAndCarol> {
  const database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
  const [a, c] = await Promise.all([tempHome(`${label}alice`), tempHome(`${label}carol`)]);
  const carolUrl = await database.author('carol');
  const alice = await Marketplace.open({ home: a.path, databaseUrl: await database.author('alice'), checkSyntax: acceptSyntax });
  const carol = await Marketplace.open({ home: c.path, databaseUrl: carolUrl, checkSyntax: acceptSyntax });
  return {
    database, alice, carol, aliceHome: a.path, carolHome: c.path, carolUrl,
    async carolLocal(work) {
      const local = await openLocalDatabase(c.path);
      try {
        return await work(local.db);
      } finally {
        await local.release();
      }
    },
    async close() {
      for (const step of [() => carol.close(), () => alice.close(), c.remove, a.remove]) await step();
      await database.drop();
    },
  };
}
