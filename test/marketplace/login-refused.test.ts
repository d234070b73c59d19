import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { marketplaceHealth } from '../../src/marketplace/health.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { PgCluster, pgClusterUnavailable } from '../support/pg-cluster.ts';
import { acceptSyntax, makePlugin, tempHome, UNREACHABLE_URL } from './helpers.ts';

/**
 * A shared marketplace that refuses the login (a wrong password, no user in the URL, no password
 * where the server asks one) is a setting to fix, not an outage: no offline answer, nothing queued
 * that these credentials could never deliver, and the error says what is wrong and how to fix it,
 * in the words `wasmforge doctor` uses. On a cluster of its own that asks passwords (scram-sha-256),
 * as a real shared server does; the machine's test server trusts every login.
 */
const unavailable = pgClusterUnavailable();
if (unavailable) console.warn(`[skipped] a marketplace that refuses the login: ${unavailable}`);
const bin = fileURLToPath(new URL('../../bin/wasmforge.js', import.meta.url));
let cluster: PgCluster;
let home: { path: string; remove: () => Promise<void> };
const at = (auth: string) => `postgres://${auth}127.0.0.1:${cluster.port}/wasmforge`;

beforeAll(async () => {
  home = await tempHome('login-refused');
  if (unavailable) return;
  cluster = await PgCluster.create('scram', { auth: 'scram' });
  await cluster.psql('CREATE DATABASE wasmforge');
  await migrateMarketplace(cluster.url('wasmforge'));
}, 120_000);
afterAll(async () => {
  await cluster?.drop();
  await home?.remove();
});

const CASES = [
  { label: 'a wrong password', auth: () => 'postgres:wrong-password@', message: /password authentication failed for user "postgres"/, hint: /password/ },
  { label: 'no user in the URL', auth: () => '', message: /names no user/, hint: /postgres:\/\/user:password@/ },
  { label: 'no password in the URL', auth: () => 'postgres@', message: /asks for a password and none was given/, hint: /password/ },
];

describe.skipIf(unavailable)('a marketplace that refuses the login', () => {
  it.each(CASES)('$label: search, details and publish fail with UNAUTHORIZED and the fix; nothing is queued; doctor says the same', async ({ auth, message, hint }) => {
    const url = at(auth());
    const market = await Marketplace.open({ home: home.path, databaseUrl: url, checkSyntax: acceptSyntax, catalogCopy: false });
    try {
      const refusal = { code: 'UNAUTHORIZED', message: expect.stringMatching(message), hint: expect.stringMatching(hint) };
      await expect(market.search({ text: 'x' })).rejects.toMatchObject(refusal);
      await expect(market.details('x')).rejects.toMatchObject(refusal);
      const dir = await makePlugin(home.path, 'login-refused-plugin');
      const error = await market.publish(dir).then(() => null, (refused: unknown) => refused);
      expect(error).toMatchObject(refusal);
      expect(await market.outboxItems()).toEqual([]);
      // `wasmforge doctor` and Settings › Marketplace answer from the same words.
      const health = await marketplaceHealth({ home: home.path, databaseUrl: url });
      expect(health).toMatchObject({ ok: false, problem: 'login-refused', fix: (error as { hint: string }).hint });
      expect(health.summary).toContain((error as Error).message);
      expect(health.summary).not.toContain('unreachable');
    } finally {
      await market.close();
    }
  });

  it('the right password works (the cluster is sound)', async () => {
    const market = await Marketplace.open({ home: home.path, databaseUrl: cluster.url('wasmforge'), checkSyntax: acceptSyntax, catalogCopy: false });
    try {
      expect(await market.search({ text: 'x' })).toMatchObject({ offline: null, items: [] });
    } finally {
      await market.close();
    }
  });

  it('a password changed under a running app: what is queued waits (the login says nothing about it), and goes once the login works', { timeout: 60_000 }, async () => {
    const market = await Marketplace.open({ home: home.path, databaseUrl: cluster.url('wasmforge'), checkSyntax: acceptSyntax, catalogCopy: false });
    try {
      await market.ready();
      await cluster.psql(`ALTER ROLE postgres PASSWORD 'changed-meanwhile'`);
      await cluster.psql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'wasmforge' AND pid <> pg_backend_pid()`);
      // The pool hears of its connections' end before the next call opens a new one.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const outcome = await market.publish(await makePlugin(home.path, 'changed-password-plugin'));
      expect(outcome).toMatchObject({ status: 'queued', reason: expect.stringContaining('refused the login') });
      expect(await market.outboxItems()).toMatchObject([{ plugin: 'changed-password-plugin', status: 'pending', lastError: { code: 'UNAUTHORIZED' } }]);
      await cluster.psql(`ALTER ROLE postgres PASSWORD '${cluster.password}'`);
      expect(await market.flushOutbox({ all: true })).toMatchObject({ delivered: [outcome.publishId] });
    } finally {
      await cluster.psql(`ALTER ROLE postgres PASSWORD '${cluster.password}'`);
      await market.close();
    }
  });

  it('the CLI: `search` and `publish` exit 1 with UNAUTHORIZED and the fix, and nothing waits in the outbox', { timeout: 120_000 }, async () => {
    const cli = (args: string[]) => execa(process.execPath, [bin, ...args], {
      cwd: home.path, reject: false, env: { WASMFORGE_HOME: home.path, DATABASE_URL: at('postgres:wrong-password@') },
    });
    const search = await cli(['search', 'x']);
    expect([search.exitCode, search.stdout]).toEqual([1, '']);
    expect(search.stderr).toMatch(/^error UNAUTHORIZED: .*password authentication failed/m);
    expect(search.stderr).toMatch(/^hint: .*password/m);

    const dir = await makePlugin(home.path, 'cli-login-refused');
    const publish = await cli(['publish', dir, '--yes']);
    expect([publish.exitCode, publish.stdout]).toEqual([1, '']);
    expect(publish.stderr).toMatch(/^error UNAUTHORIZED: .*password authentication failed/m);
    expect(publish.stderr).not.toContain('first publish'); // no review before a refusal it cannot help with
    const outbox = await cli(['db', 'outbox', '--json']);
    expect((JSON.parse(outbox.stdout) as Array<{ plugin: string }>).filter((item) => item.plugin === 'cli-login-refused')).toEqual([]);
  });
});

describe('a marketplace that is really unreachable', () => {
  it('answers from the offline copy and says why, in the result and in `wasmforge search`', { timeout: 120_000 }, async () => {
    const market = await Marketplace.open({ home: home.path, databaseUrl: UNREACHABLE_URL, checkSyntax: acceptSyntax, catalogCopy: false });
    try {
      expect(await market.search({ text: 'x' })).toMatchObject({
        offline: { reason: expect.stringMatching(/unreachable.*ECONNREFUSED/), hint: expect.stringContaining('database URL') },
      });
    } finally {
      await market.close();
    }
    const search = await execa(process.execPath, [bin, 'search', 'x'], { cwd: home.path, reject: false, env: { WASMFORGE_HOME: home.path, DATABASE_URL: UNREACHABLE_URL } });
    expect(search.exitCode).toBe(0);
    expect(search.stdout).toMatch(/^offline: showing the cached catalog: The marketplace database at 127\.0\.0\.1:9\/wasmforge is unreachable: .*ECONNREFUSED/m);
    expect(search.stdout).toMatch(/^ {2}hint: Check the database URL/m);

    // A publish waits in the outbox, and `db outbox` says where it is to go.
    const env = { WASMFORGE_HOME: home.path, DATABASE_URL: UNREACHABLE_URL };
    const queued = await execa(process.execPath, [bin, 'publish', await makePlugin(home.path, 'waits-for-port-9'), '--yes'], { cwd: home.path, reject: false, env });
    // A trial's queued publish later went to the app's marketplace, unannounced: the CLI says where a waiting one goes.
    expect(queued.stdout).toContain("It waits in this data folder's outbox and goes, when retried, to the marketplace in use then");
    const outbox = await execa(process.execPath, [bin, 'db', 'outbox'], { cwd: home.path, reject: false, env });
    expect(outbox.stdout).toMatch(/^PLUGIN +VERSION +TARGET +STATUS/m);
    // The next try in local time to the second; an error too long for its column ends in "…", never mid-word.
    expect(outbox.stdout).toMatch(/^waits-for-port-9 +\S+ +\S*127\.0\.0\.1:9\/wasmforge +pending +1 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +DB_UNAVAILABLE: .{60,}…$/m);
  });
});
