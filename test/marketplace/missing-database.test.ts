import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { marketplaceHealth } from '../../src/marketplace/health.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { acceptSyntax, makePlugin, PG_HOST, tempHome, UNREACHABLE_URL } from './helpers.ts';

/**
 * A URL to a database that does not exist on the real server (PostgreSQL's 3D000) is a setting to
 * fix, not an outage: nothing answers from the offline copy, nothing is queued, and the answer
 * names the fix (`wasmforge db migrate`), as `wasmforge doctor` does for the same URL.
 */
const MISSING_URL = `${PG_HOST}/wasmforge_missing_${randomBytes(5).toString('hex')}`;
const bin = fileURLToPath(new URL('../../bin/wasmforge.js', import.meta.url));
let home: { path: string; remove: () => Promise<void> };

beforeAll(async () => {
  home = await tempHome('missing-db');
});
afterAll(async () => {
  await home?.remove();
});

describe('a marketplace URL naming a database that does not exist', () => {
  it('search, details and publish fail with NOT_FOUND and the db migrate fix; nothing is queued', async () => {
    const market = await Marketplace.open({ home: home.path, databaseUrl: MISSING_URL, checkSyntax: acceptSyntax, catalogCopy: false });
    try {
      const refusal = { code: 'NOT_FOUND', message: expect.stringMatching(/database "wasmforge_missing_\w+" does not exist/), hint: expect.stringContaining('wasmforge db migrate') };
      await expect(market.search({ text: 'x' })).rejects.toMatchObject(refusal);
      await expect(market.details('x')).rejects.toMatchObject(refusal);
      const dir = await makePlugin(home.path, 'missing-db-plugin');
      await expect(market.publish(dir)).rejects.toMatchObject(refusal);
      expect(await market.outboxItems()).toEqual([]);
    } finally {
      await market.close();
    }
  });

  it('the health check (doctor, the badges) names it a missing database, not an outage', async () => {
    const health = await marketplaceHealth({ home: home.path, databaseUrl: MISSING_URL });
    expect(health).toMatchObject({ ok: false, reachable: false, problem: 'no-database', fix: expect.stringContaining('wasmforge db migrate') });
    expect(health.summary).toMatch(/database "wasmforge_missing_\w+" does not exist/);
    expect(health.summary).not.toContain('unreachable');
    expect(await marketplaceHealth({ home: home.path, databaseUrl: UNREACHABLE_URL })).toMatchObject({ problem: 'unreachable' });
  });

  it('an unreachable server is still an outage: the offline copy answers and a publish is queued', async () => {
    const market = await Marketplace.open({ home: home.path, databaseUrl: UNREACHABLE_URL, checkSyntax: acceptSyntax, catalogCopy: false });
    try {
      expect(await market.search({ text: 'x' })).toMatchObject({ offline: { reason: expect.stringContaining('unreachable') } });
      const dir = await makePlugin(home.path, 'unreachable-plugin');
      expect(await market.publish(dir)).toMatchObject({ status: 'queued' });
    } finally {
      await market.close();
    }
  });

  it('the CLI: `search` and `publish` exit 1 with NOT_FOUND and the fix', { timeout: 120_000 }, async () => {
    const cli = (args: string[]) => execa(process.execPath, [bin, ...args], {
      cwd: home.path, reject: false, env: { WASMFORGE_HOME: home.path, DATABASE_URL: MISSING_URL },
    });
    const search = await cli(['search', 'x']);
    expect([search.exitCode, search.stdout]).toEqual([1, '']);
    expect(search.stderr).toMatch(/^error NOT_FOUND: .*database "wasmforge_missing_\w+" does not exist/m);
    expect(search.stderr).toMatch(/^hint: .*`wasmforge db migrate/m);

    const dir = await makePlugin(home.path, 'cli-missing-db');
    const publish = await cli(['publish', dir, '--yes']);
    expect([publish.exitCode, publish.stdout]).toEqual([1, '']);
    expect(publish.stderr).toMatch(/^error NOT_FOUND: .*does not exist/m);
    expect(publish.stderr).not.toContain('first publish'); // no review before a refusal it cannot help with
    expect(publish.stderr).toMatch(/^hint: .*`wasmforge db migrate/m);
  });
});
