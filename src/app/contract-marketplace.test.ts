import { generateKeyPairSync } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOllama } from '../../test/fake-ollama/server.ts';
import { tempHome, UNREACHABLE_URL } from '../../test/marketplace/helpers.ts';
import { ApiError } from '../shared/api/api-error.ts';
import type { PublishEvent } from '../shared/api/schemas/marketplace.ts';
import type { PullProgressEvent } from '../shared/api/schemas/models.ts';
import type { ApiClient, RouteInput } from '../shared/api/types.ts';
import { openTransport, type TransportFixture, type TransportName } from '../../test/support/transports.ts';

// The marketplace, models and author routes of the contract, over the same three transports.
// The marketplace is the local (PGlite) one here; the shared PostgreSQL one is covered end to end.
const transports: TransportName[] = ['direct', 'ipc', 'http'];

const CODE = 'from platform_sdk import call_ai, send_output\nsend_output(call_ai("qwen2.5:1.5b", "hi"))\n';
const MANIFEST = { name: 'shared-tool', version: '1.0.0', description: 'A tool to share', tags: ['text'], models: ['qwen2.5:1.5b'], limits: { aiCalls: 2, wallTimeMs: 5000 } };

async function errorOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

async function publish(client: ApiClient, plugin: string | RouteInput<'market.publish'>): Promise<{ events: PublishEvent[]; result?: unknown; error?: ApiError }> {
  const events: PublishEvent[] = [];
  try {
    const result = await client.stream('market.publish', typeof plugin === 'string' ? { name: plugin } : plugin, { onEvent: (e) => events.push(e) });
    return { events, result };
  } catch (error) {
    return { events, error: error as ApiError };
  }
}

const finalStates = (events: PublishEvent[]): string[] => events.filter((e) => e.state !== 'running').map((e) => `${e.step}:${e.state}`);

describe.each(transports)('marketplace, models and author routes over %s', (transport) => {
  let fixture: TransportFixture;
  let client: ApiClient;
  let ollama: FakeOllama;

  beforeAll(async () => {
    ollama = await FakeOllama.start({ pullable: [{ name: 'tinyllama:latest', family: 'llama', size: 600_000_000 }] });
    const home = await tempHome(`contract-${transport}`);
    fixture = await openTransport(transport, { home: home.path, ai: 'ollama' });
    client = fixture.client;
    await client.call('settings.update', { ollama: { host: ollama.url } });
  });
  afterAll(async () => {
    await fixture?.close();
    await ollama?.close();
  });

  it('publishes a workspace plugin step by step, then finds, reviews and installs exactly what was reviewed', async () => {
    expect(await client.call('market.status', {})).toMatchObject({ mode: 'local', reachable: true });
    await client.call('plugins.save', { code: CODE, manifest: MANIFEST });
    const first = await publish(client, 'shared-tool');
    expect(first.result).toMatchObject({ status: 'published', name: 'shared-tool', version: '1.0.0' });
    expect(finalStates(first.events)).toEqual(['manifest:ok', 'syntax:ok', 'version:ok', 'signature:ok', 'deliver:ok']);

    const page = await client.call('market.search', { text: 'tool' });
    expect(page).toMatchObject({ total: 1, offline: null });
    expect(page.items[0]).toMatchObject({ name: 'shared-tool', latestVersion: '1.0.0', verified: true, mine: true, models: ['qwen2.5:1.5b'], installedVersion: null });

    const detail = await client.call('market.details', { name: 'shared-tool' });
    expect(detail.selected).toMatchObject({ version: '1.0.0', code: CODE, verified: true, manifest: { limits: { aiCalls: 2, wallTimeMs: 5000 } } });
    expect((await errorOf(client.call('market.install', { name: 'shared-tool', version: '1.0.0', sha256: '0'.repeat(64) }))).code).toBe('TAMPERED');
    const installed = await client.call('market.install', { name: 'shared-tool', version: '1.0.0', sha256: detail.selected.sha256 });
    expect(installed).toMatchObject({ source: 'installed', name: 'shared-tool', version: '1.0.0' });
    expect((await client.call('market.details', { name: 'shared-tool' })).installed).toMatchObject({ version: '1.0.0', revoked: false });

    // The sandbox holds the installed plugin to what it declared: these models, these limits.
    await client.stream('runs.run', { plugin: { source: 'installed', name: 'shared-tool' }, input: 'x' }, { onEvent: () => undefined });
    expect(fixture.sandbox.requests.at(-1)).toMatchObject({ code: CODE, manifestModels: ['qwen2.5:1.5b'], manifestLimits: { aiCalls: 2, wallTimeMs: 5000 } });
  });

  it('refuses a version that is not greater and code that does not compile, saying which check failed', async () => {
    const again = await publish(client, 'shared-tool');
    expect(again.error?.code).toBe('VERSION_NOT_GREATER');
    expect(again.error?.hint).toContain('1.0.1');
    expect(finalStates(again.events)).toEqual(['manifest:ok', 'syntax:ok', 'version:failed']);

    await client.call('plugins.save', { code: 'def (', manifest: { ...MANIFEST, name: 'broken-tool' } });
    const broken = await publish(client, 'broken-tool');
    expect(broken.error?.code).toBe('SYNTAX_ERROR');
    expect(finalStates(broken.events)).toEqual(['manifest:ok', 'syntax:failed']);
    expect((await publish(client, 'not-there')).error?.code).toBe('NOT_FOUND');
  });

  it('opens a published plugin in the Builder as an owned copy, yanks a version, uninstalls', async () => {
    const copy = await client.call('market.fork', { name: 'shared-tool' });
    expect(copy).toMatchObject({ source: 'workspace', name: 'shared-tool-copy', version: '0.1.0' });
    expect((await client.call('plugins.get', { source: 'workspace', name: 'shared-tool-copy' })).code).toBe(CODE);
    expect((await client.call('market.fork', { name: 'shared-tool' })).name).toBe('shared-tool-copy-2');

    await client.call('market.yank', { name: 'shared-tool', version: '1.0.0', reason: 'leaks prompts' });
    expect(await client.call('market.updates', {})).toEqual([expect.objectContaining({ name: 'shared-tool', revoked: true, reason: 'leaks prompts' })]);
    await client.call('market.uninstall', { name: 'shared-tool' });
    expect((await client.call('plugins.list', {})).filter((p) => p.source === 'installed')).toEqual([]);
    expect((await errorOf(client.call('market.uninstall', { name: 'shared-tool' }))).code).toBe('NOT_FOUND');
  });

  it('publishes a multi-file plugin sent whole: the review carries every file, and Open in Builder copies them all', async () => {
    const files = { 'helpers.py': 'X = 1\n', 'data/words.txt': 'alpha' };
    const sent = await client.stream('market.publish', { code: CODE, files, manifest: { ...MANIFEST, name: 'multi-tool' } }, { onEvent: () => undefined });
    expect(sent).toMatchObject({ status: 'published', name: 'multi-tool' });
    expect((await client.call('market.details', { name: 'multi-tool' })).selected).toMatchObject({ code: CODE, files, verified: true });
    const copy = await client.call('market.fork', { name: 'multi-tool' });
    expect(await client.call('plugins.get', { source: 'workspace', name: copy.name })).toMatchObject({ code: CODE, files });
    const refused = await publish(client, { code: CODE, files: { '../x.py': '' }, manifest: { ...MANIFEST, name: 'multi-tool', version: '1.0.1' } });
    expect(refused.error?.info).toMatchObject({ code: 'INVALID_PLUGIN_FILES', details: { path: '../x.py', reason: 'bad-path' } });
  });

  it('publishes a plugin sent whole, lists installed copies as last known, and unpublishes', async () => {
    await client.call('settings.update', { author: { displayName: 'Ada Example' } });
    const sent = await client.stream('market.publish', { code: CODE, manifest: { ...MANIFEST, name: 'sent-tool' } }, { onEvent: () => undefined });
    expect(sent).toMatchObject({ status: 'published', name: 'sent-tool', version: '1.0.0', marketplace: 'local' });
    expect((await client.call('plugins.list', {})).map((p) => p.name)).not.toContain('sent-tool');
    expect(await readdir(join(fixture.api.context.home, 'staging'))).toEqual([]);
    const bad = await publish(client, { code: CODE, manifest: { ...MANIFEST, name: 'sent-tool', version: '1.0' } } as never);
    expect(bad.error?.code).toBe('BAD_INPUT');
    const undescribed = await publish(client, { code: CODE, manifest: { ...MANIFEST, name: 'mute-tool', description: '  ' } });
    expect(undescribed.error).toMatchObject({ code: 'INVALID_MANIFEST', message: expect.stringContaining('mute-tool has no description') });
    expect(finalStates(undescribed.events)).toEqual(['manifest:failed']);

    const detail = await client.call('market.details', { name: 'sent-tool' });
    // Cards and pages name the author as they call themselves (Settings › Author identity); search finds them by it.
    expect(detail.plugin).toMatchObject({ ownerName: 'Ada Example', owner: expect.any(String) });
    expect((await client.call('market.search', { text: 'ada example' })).items.map((p) => p.name)).toContain('sent-tool');
    expect((await client.call('market.search', { text: 'sent' })).items.map((p) => p.name)).toContain('sent-tool');
    await client.call('market.install', { name: 'sent-tool', version: '1.0.0', sha256: detail.selected.sha256 });
    expect(await client.call('market.installed', {})).toContainEqual(expect.objectContaining({
      name: 'sent-tool', version: '1.0.0', origin: 'marketplace', fingerprint: detail.selected.fingerprint, revoked: false, updateAvailable: false,
    }));
    await client.call('market.unpublish', { name: 'sent-tool' });
    expect((await client.call('market.search', { text: 'sent' })).items.map((p) => p.name)).not.toContain('sent-tool');
    await client.call('market.uninstall', { name: 'sent-tool' });
    expect((await client.call('market.installed', {})).map((p) => p.name)).not.toContain('sent-tool');
  });

  it('queues a publish while the database is unreachable and browses the (empty) cache offline', async () => {
    expect((await errorOf(client.call('settings.update', { marketplace: { databaseUrl: 'mysql://x' } }))).code).toBe('BAD_INPUT');
    expect((await client.call('settings.testDatabase', { databaseUrl: UNREACHABLE_URL })).reachable).toBe(false);
    await client.call('settings.update', { marketplace: { databaseUrl: UNREACHABLE_URL } });
    expect(await client.call('market.status', {})).toMatchObject({ mode: 'shared', reachable: false });

    await client.call('plugins.save', { code: CODE, manifest: { ...MANIFEST, name: 'later-tool' } });
    const queued = await publish(client, 'later-tool');
    expect(queued.result).toMatchObject({ status: 'queued', name: 'later-tool' });
    expect(finalStates(queued.events)).toEqual(['manifest:ok', 'syntax:ok', 'version:skipped', 'signature:ok', 'deliver:skipped']);
    // Your publishes: the one waiting, and those delivered to the local marketplace before, each with its target.
    const outbox = await client.call('market.outbox', {});
    expect(outbox.filter((item) => item.status === 'pending')).toEqual([expect.objectContaining({ plugin: 'later-tool' })]);
    expect(outbox.filter((item) => item.status === 'delivered').map((item) => [item.plugin, item.marketplace])).toContainEqual(['sent-tool', 'local']);
    expect(await client.call('market.retry', {})).toEqual({ delivered: 0, failed: 0, pending: 1 });
    expect(await client.call('market.search', {})).toMatchObject({ offline: { reason: expect.stringContaining('unreachable') }, items: [] });
    await client.call('settings.update', { marketplace: { databaseUrl: '' } });
  });

  it('pulls a model with progress, cancels a pull, approves and deletes models', async () => {
    const progress: PullProgressEvent[] = [];
    expect(await client.stream('models.pull', { name: 'tinyllama:latest' }, { onEvent: (e) => progress.push(e) })).toEqual({ name: 'tinyllama:latest', status: 'success' });
    const done = progress.map((p) => p.completedBytes);
    expect(new Set(done).size).toBeGreaterThan(3);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ status: 'success', completedBytes: progress.at(-1)?.totalBytes });
    expect((await client.call('models.list', {})).find((m) => m.name === 'tinyllama:latest')).toMatchObject({ installed: true, approved: false, family: 'llama' });

    expect(await client.call('models.approve', { name: 'tinyllama:latest', approved: true })).toContain('tinyllama:latest');
    expect((await client.call('models.list', {})).find((m) => m.name === 'tinyllama:latest')?.approved).toBe(true);
    await client.call('models.approve', { name: 'tinyllama:latest', approved: false });
    await client.call('models.delete', { name: 'tinyllama:latest' });
    expect((await client.call('models.list', {})).some((m) => m.name === 'tinyllama:latest')).toBe(false);
    expect((await errorOf(client.call('models.delete', { name: 'tinyllama:latest' }))).code).toBe('NOT_FOUND');

    ollama.faults = { tokenLatencyMs: 200 };
    const controller = new AbortController();
    const cancelled = await client.stream('models.pull', { name: 'tinyllama:latest' }, { signal: controller.signal, onEvent: () => controller.abort() });
    ollama.faults = {};
    expect(cancelled.status).toBe('cancelled');
    expect((await errorOf(client.stream('models.pull', { name: 'no-such-model:1b' }, { onEvent: () => undefined }))).code).toBe('NOT_FOUND');
  });

  it('lists an approved model once, whether the allow-list names its tag or not', async () => {
    const before = (await client.call('settings.get', {})).ollama.allowList;
    await client.call('settings.update', { ollama: { allowList: ['llama3.2'] } });
    const rows = (await client.call('models.list', {})).filter((m) => m.name.startsWith('llama3.2'));
    expect(rows).toEqual([expect.objectContaining({ name: 'llama3.2:latest', approved: true, installed: true })]);
    expect(await client.call('models.approve', { name: 'llama3.2:latest', approved: false })).toEqual([]);
    await client.call('settings.update', { ollama: { allowList: before } });
  });

  it('shows the author identity and moves the key out and back in', async () => {
    const identity = await client.call('author.identity', {});
    expect(identity.fingerprint).toMatch(/^SHA256:/);
    const exported = await client.call('author.exportKey', {});
    expect(exported.pem).toContain('BEGIN PRIVATE KEY');
    expect(await client.call('author.importKey', { pem: exported.pem })).toMatchObject({ fingerprint: identity.fingerprint });
    expect((await errorOf(client.call('author.importKey', { pem: 'not a key' }))).code).toBe('BAD_INPUT');
    const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect((await errorOf(client.call('author.importKey', { pem: other }))).code).toBe('ALREADY_EXISTS');
    const replaced = await client.call('author.importKey', { pem: other, replace: true });
    expect(replaced.fingerprint).not.toBe(identity.fingerprint);
  });
});
