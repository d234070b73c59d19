import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import { assertVersionGreater } from '../../src/marketplace/db/version-rule.ts';
import { acceptSyntax, bumpVersion, createTestDatabase, makePlugin, rejectSyntax, tempHome, type TestDatabase } from './helpers.ts';

let database: TestDatabase;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await database?.drop();
});

async function openAuthor(label: string, url?: string): Promise<{ market: Marketplace; home: string }> {
  const home = await tempHome(label);
  const market = await Marketplace.open({ home: home.path, databaseUrl: url ?? await database.author(label), checkSyntax: acceptSyntax });
  cleanup.push(async () => { await market.close(); await home.remove(); });
  return { market, home: home.path };
}

async function versionRows(name: string): Promise<Array<{ version: string; publish_id: string }>> {
  return database.admin.query('SELECT version, publish_id FROM marketplace.versions WHERE plugin = $1 ORDER BY created_at', [name]);
}

describe('publish to a shared PostgreSQL marketplace', () => {
  it('publishes in one call, signed with a key created on first use, and refuses a version that is not greater', async () => {
    const { market, home } = await openAuthor('pub');
    const dir = await makePlugin(home, 'summary', '1.0.0');
    const outcome = await market.publish(dir);
    expect(outcome).toMatchObject({ status: 'published', name: 'summary', version: '1.0.0' });
    expect(outcome.fingerprint).toBe((await market.identity()).fingerprint);
    await expect(market.publish(dir)).rejects.toMatchObject({ code: 'VERSION_NOT_GREATER' });
    await bumpVersion(dir, '0.9.0');
    // The database refuses it, naming the newest version; the refusal reads as the publish dialog's check does.
    const refusal = { code: 'VERSION_NOT_GREATER', message: 'summary@0.9.0 is not greater than 1.0.0, the latest published version',
      hint: 'Raise "version" in plugin.json, e.g. to 1.0.1.' };
    await expect(market.publish(dir)).rejects.toMatchObject(refusal);
    expect(() => assertVersionGreater('summary', '0.9.0', '1.0.0')).toThrow(expect.objectContaining(refusal));
    await bumpVersion(dir, '1.1.0', 'print("v2")\n');
    expect(await market.publish(dir)).toMatchObject({ status: 'published', version: '1.1.0' });
    expect((await versionRows('summary')).map((row) => row.version)).toEqual(['1.0.0', '1.1.0']);
    expect((await market.details('summary')).latestVersion).toBe('1.1.0');
  });

  it('runs the checks before anything is queued or sent', async () => {
    const home = await tempHome('checks');
    cleanup.push(home.remove);
    const market = await Marketplace.open({ home: home.path, databaseUrl: await database.author('checks'), checkSyntax: rejectSyntax });
    cleanup.push(() => market.close());
    await expect(market.publish(await makePlugin(home.path, 'broken'))).rejects.toMatchObject({ code: 'SYNTAX_ERROR', message: expect.stringContaining('line 2') });
    expect(await market.outboxItems()).toEqual([]);
    expect(await versionRows('broken')).toEqual([]);
  });

  it('lets two authors publish concurrently; a contested new name goes to exactly one of them', async () => {
    const [ann, ben] = await Promise.all([openAuthor('ann'), openAuthor('ben')]);
    const dirs = await Promise.all([
      ...[1, 2, 3].map((n) => makePlugin(ann.home, `ann-tool-${n}`)),
      ...[1, 2, 3].map((n) => makePlugin(ben.home, `ben-tool-${n}`)),
    ]);
    const outcomes = await Promise.all(dirs.map((dir, index) => (index < 3 ? ann : ben).market.publish(dir)));
    expect(outcomes.every((outcome) => outcome.status === 'published')).toBe(true);

    const contested = await Promise.allSettled([
      ann.market.publish(await makePlugin(ann.home, 'contested')),
      ben.market.publish(await makePlugin(ben.home, 'contested')),
    ]);
    expect(contested.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = contested.find((result) => result.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'NOT_OWNER' });
    expect(await versionRows('contested')).toHaveLength(1);
  });

  it('serializes concurrent publishes of one plugin: the same version is written once', async () => {
    const { market, home } = await openAuthor('same');
    const url = new URL(database.adminUrl);
    url.username = `wf_${database.name.replace('wasmforge_test_', '')}_same`;
    url.password = 'test-password';
    // A second machine of the same author: same key file, another process-level connection.
    const second = await Marketplace.open({ home, databaseUrl: url.toString(), checkSyntax: acceptSyntax });
    cleanup.push(() => second.close());
    const dir = await makePlugin(home, 'racer', '2.0.0');
    await market.publish(await makePlugin(home, 'racer', '1.0.0'));
    const results = await Promise.allSettled([market.store.publish(await signed(dir, home), crypto.randomUUID()),
      second.store.publish(await signed(dir, home), crypto.randomUUID())]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(results.find((result) => result.status === 'rejected')?.reason).toMatchObject({
      code: 'VERSION_NOT_GREATER', message: expect.stringContaining('already published'),
    });
    expect((await versionRows('racer')).map((row) => row.version)).toEqual(['1.0.0', '2.0.0']);
  });
});

async function signed(dir: string, home: string) {
  const { preparePublication } = await import('../../src/marketplace/publish.ts');
  return preparePublication(home, dir, acceptSyntax);
}
