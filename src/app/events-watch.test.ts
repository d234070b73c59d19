import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IpcRouter } from '../ipc/router.ts';
import { createMemoryIpcPair } from '../ipc/memory.ts';
import { createIpcClient } from '../shared/api/ipc-client.ts';
import type { AppEvent } from '../shared/api/schemas/events.ts';
import type { ApiClient } from '../shared/api/types.ts';
import { openTransport, type TransportFixture, type TransportName } from '../../test/support/transports.ts';

const transports: TransportName[] = ['direct', 'ipc', 'http'];

/** Watches until stop(); what it heard is kept in order. */
function watch(client: ApiClient) {
  const heard: AppEvent[] = [];
  const controller = new AbortController();
  const ended = client.stream('events.watch', {}, { signal: controller.signal, onEvent: (event) => heard.push(event) });
  // A test that fails before stop() must not also leave an unhandled rejection when the server closes.
  ended.catch(() => undefined);
  return { heard, ended, stop: () => controller.abort() };
}

const types = (heard: AppEvent[]) => heard.map((event) => event.type);

describe.each(transports)('events.watch over %s', (transport) => {
  let fixture: TransportFixture;
  beforeAll(async () => {
    fixture = await openTransport(transport);
    // The first run kept creates the local database (seconds on a loaded machine): done before watching.
    await fixture.api.client.stream('runs.run', { code: 'print(0)' }, { onEvent: () => undefined });
    await vi.waitFor(async () => expect(await fixture.api.client.call('runs.history', {})).toHaveLength(1), { timeout: 50_000, interval: 200 });
  });
  afterAll(() => fixture.close());

  it('starts with the connections, then hears what another client changes, until it stops watching', async () => {
    const watcher = watch(fixture.client);
    await vi.waitFor(() => expect(types(watcher.heard)).toEqual(['connections.changed']));
    expect(watcher.heard[0]).toMatchObject({ ollama: { reachable: true }, market: { mode: 'local', reachable: true } });
    expect(fixture.api.context.events.watcherCount).toBe(1);

    const other = fixture.api.client;
    await other.call('plugins.save', { code: 'print(1)\n', manifest: { name: 'pushed', description: 'A plugin saved by another client' } });
    await other.call('settings.update', { ui: { theme: 'light' } });
    await other.stream('runs.run', { code: 'print(1)' }, { onEvent: () => undefined });
    await vi.waitFor(() => expect(types(watcher.heard)).toEqual(expect.arrayContaining(['library.changed', 'settings.changed', 'history.changed'])), { timeout: 10_000 });

    watcher.stop();
    await expect(watcher.ended).resolves.toEqual({});
    await vi.waitFor(() => expect(fixture.api.context.events.watcherCount).toBe(0));
  });
});

describe('events.watch over IPC reaches every window', () => {
  it('two windows each hear a change made by a third client', async () => {
    const fixture = await openTransport('direct');
    try {
      const windows = [createMemoryIpcPair({ id: 'window-1' }), createMemoryIpcPair({ id: 'window-2' })].map((pair) => {
        new IpcRouter(fixture.api.dispatcher, pair.server, { allowedSenders: ['http://localhost:5173'] });
        return { pair, watcher: watch(createIpcClient(pair.bridge)) };
      });
      await vi.waitFor(() => expect(fixture.api.context.events.watcherCount).toBe(2));
      await fixture.api.client.call('plugins.save', { code: 'print(1)\n', manifest: { name: 'seen-by-all', description: 'A plugin saved by another client' } });
      for (const { watcher } of windows) await vi.waitFor(() => expect(types(watcher.heard)).toContain('library.changed'));
      // A window that goes away stops watching (its calls are cancelled), the other goes on.
      windows[0]!.pair.disconnect();
      await vi.waitFor(() => expect(fixture.api.context.events.watcherCount).toBe(1));
      windows[1]!.watcher.stop();
      await vi.waitFor(() => expect(fixture.api.context.events.watcherCount).toBe(0));
    } finally {
      await fixture.close();
    }
  });
});

describe('events.watch hears the workspace changed by anything else (the CLI, a file manager)', () => {
  it('a plugin folder added, renamed or removed outside the app is library.changed, and the list shows it', async () => {
    const fixture = await openTransport('direct');
    try {
      await fixture.client.call('plugins.save', { code: 'print(1)\n', manifest: { name: 'saved-here' } });
      const watcher = watch(fixture.client);
      await vi.waitFor(() => expect(types(watcher.heard)).toEqual(['connections.changed']));
      const workspace = join(fixture.api.context.home, 'workspace');
      const heardChanges = () => types(watcher.heard).filter((type) => type === 'library.changed').length;
      const names = async () => (await fixture.client.call('plugins.list', {})).filter((p) => p.source === 'workspace').map((p) => p.name).sort();

      await mkdir(join(workspace, 'from-cli'));
      await writeFile(join(workspace, 'from-cli', 'plugin.py'), 'print(2)\n');
      await writeFile(join(workspace, 'from-cli', 'plugin.json'), JSON.stringify({ name: 'from-cli', version: '0.1.0' }));
      await vi.waitFor(() => expect(heardChanges()).toBeGreaterThanOrEqual(1), { timeout: 5_000 });
      expect(await names()).toEqual(['from-cli', 'saved-here']);

      let before = heardChanges();
      await rename(join(workspace, 'from-cli'), join(workspace, 'renamed'));
      await vi.waitFor(() => expect(heardChanges()).toBeGreaterThan(before), { timeout: 5_000 });
      before = heardChanges();
      await rm(join(workspace, 'renamed'), { recursive: true });
      await vi.waitFor(() => expect(heardChanges()).toBeGreaterThan(before), { timeout: 5_000 });
      expect(await names()).toEqual(['saved-here']);
      watcher.stop();
    } finally {
      await fixture.close();
    }
  });

  it('a test case written by hand into a plugin, and a manifest edited outside, are heard; the Tests panel lists the case', async () => {
    const fixture = await openTransport('direct');
    try {
      await fixture.client.call('plugins.save', { code: 'print(1)\n', manifest: { name: 'cased' } });
      const watcher = watch(fixture.client);
      await vi.waitFor(() => expect(types(watcher.heard)).toEqual(['connections.changed']));
      const plugin = join(fixture.api.context.home, 'workspace', 'cased');
      const heardChanges = () => types(watcher.heard).filter((type) => type === 'library.changed').length;

      // The app's save made no tests folder: the first case makes it.
      await mkdir(join(plugin, 'tests'));
      await writeFile(join(plugin, 'tests', 'by-hand.json'), JSON.stringify({ input: 'hi', expect: { output: '1' } }));
      await vi.waitFor(() => expect(heardChanges()).toBeGreaterThanOrEqual(1), { timeout: 5_000 });
      const cases = await fixture.client.call('tests.list', { plugin: 'cased' });
      expect(cases.map((c) => c.name)).toContain('by-hand');

      let before = heardChanges();
      await writeFile(join(plugin, 'tests', 'second.json'), JSON.stringify({ input: 'again', expect: {} }));
      await vi.waitFor(() => expect(heardChanges()).toBeGreaterThan(before), { timeout: 5_000 });
      before = heardChanges();
      await writeFile(join(plugin, 'plugin.json'), JSON.stringify({ name: 'cased', version: '0.2.0', description: 'edited in another editor' }));
      await vi.waitFor(() => expect(heardChanges()).toBeGreaterThan(before), { timeout: 5_000 });
      watcher.stop();
    } finally {
      await fixture.close();
    }
  });

  it('a save made in the app is one library.changed, not a second one from watching its own writes', async () => {
    const fixture = await openTransport('direct');
    try {
      await fixture.client.call('plugins.save', { code: 'print(1)\n', manifest: { name: 'saved-twice' } });
      const watcher = watch(fixture.client);
      await vi.waitFor(() => expect(types(watcher.heard)).toEqual(['connections.changed']));
      await fixture.client.call('plugins.save', { code: 'print(2)\n', manifest: { name: 'saved-twice' }, previousName: 'saved-twice' });
      await vi.waitFor(() => expect(types(watcher.heard)).toContain('library.changed'));
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // past the watch's settling time
      expect(types(watcher.heard).filter((type) => type === 'library.changed')).toHaveLength(1);
      watcher.stop();
    } finally {
      await fixture.close();
    }
  });

  it('settings changed by another process on the same data folder (wasmforge models approve) are settings.changed and models.changed', async () => {
    const fixture = await openTransport('direct');
    const cli = await openTransport('direct', { home: fixture.api.context.home });
    try {
      await fixture.client.call('settings.update', { ui: { theme: 'light' } });
      const watcher = watch(fixture.client);
      await vi.waitFor(() => expect(types(watcher.heard)).toEqual(['connections.changed']));
      await cli.client.call('models.approve', { name: 'gemma2:2b', approved: true });
      await vi.waitFor(() => expect(types(watcher.heard)).toEqual(expect.arrayContaining(['settings.changed', 'models.changed'])), { timeout: 5_000 });
      expect((await fixture.client.call('models.list', {})).find((model) => model.name === 'gemma2:2b')?.approved).toBe(true);

      // The app's own change is said once, not again when its write is heard.
      const before = watcher.heard.length;
      await fixture.client.call('settings.update', { ui: { theme: 'dark' } });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(types(watcher.heard.slice(before))).toEqual(['settings.changed']);
      watcher.stop();
    } finally {
      await cli.close();
      await fixture.close();
    }
  });

  it('in a fresh data folder, the first plugin made outside the app (wasmforge init) is heard too', async () => {
    const fixture = await openTransport('direct');
    try {
      const workspace = join(fixture.api.context.home, 'workspace');
      expect(existsSync(workspace)).toBe(false);
      const watcher = watch(fixture.client);
      await vi.waitFor(() => expect(types(watcher.heard)).toEqual(['connections.changed']));
      await mkdir(join(workspace, 'first'), { recursive: true });
      await writeFile(join(workspace, 'first', 'plugin.py'), 'print(1)\n');
      await writeFile(join(workspace, 'first', 'plugin.json'), JSON.stringify({ name: 'first', version: '0.1.0' }));
      await vi.waitFor(() => expect(types(watcher.heard)).toContain('library.changed'), { timeout: 5_000 });
      // And the workspace is watched from then on.
      const before = types(watcher.heard).length;
      await mkdir(join(workspace, 'second'));
      await vi.waitFor(() => expect(types(watcher.heard).slice(before)).toContain('library.changed'), { timeout: 5_000 });
      watcher.stop();
    } finally {
      await fixture.close();
    }
  });
});
