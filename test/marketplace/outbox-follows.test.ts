import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppApi, type AppApi, type AppContextOptions } from '../../src/app/index.ts';
import { migrateMarketplace } from '../../src/marketplace/admin.ts';
import { Marketplace } from '../../src/marketplace/service.ts';
import type { OutboxItemView } from '../../src/shared/api/schemas/marketplace.ts';
import { acceptSyntax, createTestDatabase, makePlugin, tempHome, UNREACHABLE_URL, type TestDatabase } from './helpers.ts';

// Issue #10: a publish queued while the database URL in the settings is wrong must follow the URL
// once it is corrected: listed all along, and delivered by the app's own retrier, exactly once.

let database: TestDatabase;
const cleanup: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await migrateMarketplace(database.adminUrl);
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await database?.drop();
});

/** A publish checks the syntax and reads the models the code calls (one sandbox run); nothing else runs. */
const sandbox = {
  checkSyntax: async () => null,
  run: async ({ filename }: { filename?: string }) => {
    if (filename !== 'detect_models.py') throw new Error('no runs here');
    return { output: JSON.stringify({ models: [], dynamic: false }) };
  },
  engineStatus: async () => ({ embedded: { available: true, version: 'stub' }, wasmedge: { available: false, reason: 'stub' } }),
  close: async () => undefined,
} as unknown as NonNullable<AppContextOptions['runtime']>;

const MANIFEST = { name: 'wandering-tool', version: '1.0.0', description: 'Published while the URL was wrong', tags: [], models: [] };
const CODE = 'from platform_sdk import send_output\nsend_output("hi")\n';

async function outbox(app: AppApi): Promise<OutboxItemView[]> {
  return app.client.call('market.outbox', {});
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

describe('a publish queued while the database URL is wrong', () => {
  it('is listed while the URL is corrected, then the retrier delivers it to the corrected marketplace exactly once', async () => {
    const home = await tempHome('follows');
    cleanup.push(home.remove);
    // The retrier's own interval is an hour: only the corrected settings may make it deliver now.
    const app = await createAppApi({ home: home.path, host: 'direct', runtime: sandbox, ai: 'test', log: () => undefined, outboxRetryMs: 3_600_000 });
    cleanup.push(() => app.close());
    await app.client.call('settings.update', { marketplace: { databaseUrl: UNREACHABLE_URL } });
    await app.client.call('plugins.save', { code: CODE, manifest: MANIFEST });
    const queued = await app.client.stream('market.publish', { name: MANIFEST.name }, { onEvent: () => undefined });
    expect(queued).toMatchObject({ status: 'queued' });
    const [item] = await outbox(app);
    expect(item).toMatchObject({ plugin: 'wandering-tool', version: '1.0.0', status: 'pending' });

    // A second wrong try first: the publish is still listed, still waiting.
    await app.client.call('settings.update', { marketplace: { databaseUrl: 'postgres://nobody@127.0.0.1:8/wasmforge' } });
    expect(await outbox(app)).toEqual([expect.objectContaining({ id: item!.id, status: 'pending' })]);

    const rightUrl = await database.author('follows');
    await app.client.call('settings.update', { marketplace: { databaseUrl: rightUrl } });
    const delivered = await until('the delivery', async () => {
      const items = await outbox(app);
      expect(items.map((listed) => listed.id)).toEqual([item!.id]);
      return items[0]?.status === 'delivered' ? items[0] : undefined;
    });
    const { username, host, pathname } = new URL(rightUrl);
    expect(delivered).toMatchObject({ plugin: 'wandering-tool', version: '1.0.0', lastError: null, marketplace: `postgres://${username}@${host}${pathname}` });
    expect(await app.client.call('market.retry', {})).toEqual({ delivered: 0, failed: 0, pending: 0 });
    expect(await database.admin.query('SELECT version, publish_id::text AS publish_id FROM marketplace.versions WHERE plugin = $1', ['wandering-tool']))
      .toEqual([{ version: '1.0.0', publish_id: item!.id }]);

    // "Your publishes" lists every marketplace this machine published to, each with its target,
    // whichever one is in use now.
    await app.client.call('settings.update', { marketplace: { databaseUrl: '' } });
    expect(await app.client.call('market.status', {})).toMatchObject({ mode: 'local' });
    expect(await outbox(app)).toEqual([expect.objectContaining({ id: item!.id, status: 'delivered', marketplace: delivered.marketplace })]);
  });
});

describe('a waiting publish the current marketplace already has a version of', () => {
  it('is refused there with the reason and stays listed, never dropped', async () => {
    const home = await tempHome('stranded');
    cleanup.push(home.remove);
    const dir = await makePlugin(home.path, 'twice-tool');
    const open = (databaseUrl: string | null) => Marketplace.open({ home: home.path, databaseUrl, checkSyntax: acceptSyntax, connectTimeoutMs: 1000 });
    const local = await open(null);
    expect(await local.publish(dir)).toMatchObject({ status: 'published' });
    await local.close();
    const away = await open(UNREACHABLE_URL);
    const queued = await away.publish(dir);
    expect(queued).toMatchObject({ status: 'queued' });
    await away.close();

    const back = await open(null);
    cleanup.push(() => back.close());
    expect(await back.flushOutbox({ all: true })).toMatchObject({ delivered: [], pending: 0 });
    expect((await back.outboxItems()).find((item) => item.id === queued.publishId)).toMatchObject({
      status: 'failed', marketplace: 'local', lastError: { code: 'VERSION_NOT_GREATER', message: expect.stringContaining('twice-tool@1.0.0') },
    });
  });
});
