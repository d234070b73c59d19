import { describe, expect, it, vi } from 'vitest';
import { createDispatcher } from '../app/dispatcher.ts';
import { apiRoutes } from '../shared/api/routes.ts';
import { createIpcClient } from '../shared/api/ipc-client.ts';
import type { ApiHandlers } from '../shared/api/types.ts';
import type { IpcReply } from '../shared/api/wire.ts';
import { createMemoryIpcPair } from './memory.ts';
import { IpcRouter } from './router.ts';
import { isTrustedSender } from './sender.ts';

const APP = 'file:///opt/wasmforge/resources/app/out/renderer/index.html';

/** A run that waits for its cancel, so tests can watch it in flight. */
function waitingHandlers(): { handlers: ApiHandlers; started: Promise<void>; cancelled: Promise<void> } {
  let markStarted!: () => void;
  let markCancelled!: () => void;
  const started = new Promise<void>((r) => (markStarted = r));
  const cancelled = new Promise<void>((r) => (markCancelled = r));
  const handlers = {
    'runs.history': async (_input: unknown, { signal }: { signal: AbortSignal }) => {
      markStarted();
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      markCancelled();
      return [];
    },
  } as unknown as ApiHandlers;
  return { handlers, started, cancelled };
}

function nextReply(pair: ReturnType<typeof createMemoryIpcPair>): Promise<IpcReply> {
  return new Promise((resolve) => {
    const off = pair.bridge.onMessage((message) => {
      off();
      resolve(message);
    });
  });
}

describe('sender validation', () => {
  it('trusts only the app page in the top frame', () => {
    const allowed = [APP, 'http://localhost:5173'];
    expect(isTrustedSender({ url: `${APP}#/runner`, isMainFrame: true }, allowed)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5173/index.html', isMainFrame: true }, allowed)).toBe(true);
    expect(isTrustedSender({ url: `${APP}`, isMainFrame: false }, allowed)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', isMainFrame: true }, allowed)).toBe(false);
    expect(isTrustedSender({ url: 'https://localhost:5173/', isMainFrame: true }, allowed)).toBe(false);
    expect(isTrustedSender({ url: 'http://localhost:5174/', isMainFrame: true }, allowed)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrame: true }, allowed)).toBe(false);
    const app = ['app://wasmforge'];
    expect(isTrustedSender({ url: 'app://wasmforge/index.html#/runner', isMainFrame: true }, app)).toBe(true);
    expect(isTrustedSender({ url: 'app://evil/index.html', isMainFrame: true }, app)).toBe(false);
    expect(isTrustedSender({ url: 'app://user@wasmforge/index.html', isMainFrame: true }, app)).toBe(false);
  });
});

describe('IPC router', () => {
  it('drops messages from an untrusted frame without answering', async () => {
    const { handlers } = waitingHandlers();
    const pair = createMemoryIpcPair({ url: 'https://evil.example/', isMainFrame: true });
    const logged: string[] = [];
    const dropped = new Promise<void>((resolve) => {
      new IpcRouter(createDispatcher(apiRoutes, handlers), pair.server, {
        allowedSenders: ['http://localhost:5173'],
        log: (message) => {
          logged.push(message);
          resolve();
        },
      });
    });
    pair.bridge.send({ kind: 'call', id: 1, route: 'runs.history', input: {} });
    await dropped;
    expect(logged[0]).toContain('untrusted frame');
  });

  it('drops malformed messages and still serves good ones', async () => {
    const pair = createMemoryIpcPair();
    const logged: string[] = [];
    const handlers = { 'runs.history': async () => [] } as unknown as ApiHandlers;
    new IpcRouter(createDispatcher(apiRoutes, handlers), pair.server, { allowedSenders: ['http://localhost:5173'], log: (m) => logged.push(m) });
    pair.bridge.send({ kind: 'bogus' } as never);
    const reply = nextReply(pair);
    pair.bridge.send({ kind: 'call', id: 7, route: 'runs.history', input: {} });
    expect(await reply).toEqual({ kind: 'end', id: 7, envelope: { ok: true, data: [] } });
    expect(logged).toEqual(['dropped a malformed IPC message']);
  });

  it('cancels the calls of a renderer that goes away', async () => {
    const { handlers, started, cancelled } = waitingHandlers();
    const pair = createMemoryIpcPair();
    const router = new IpcRouter(createDispatcher(apiRoutes, handlers), pair.server, { allowedSenders: ['http://localhost:5173'] });
    void createIpcClient(pair.bridge).call('runs.history', {});
    await started;
    expect(router.pending).toBe(1);
    pair.disconnect();
    await cancelled;
    await vi.waitFor(() => expect(router.pending).toBe(0));
  });

  it('rejects a call at once when its caller aborts, and cancels it on the other side', async () => {
    const { handlers, started, cancelled } = waitingHandlers();
    const pair = createMemoryIpcPair();
    new IpcRouter(createDispatcher(apiRoutes, handlers), pair.server, { allowedSenders: ['http://localhost:5173'] });
    const controller = new AbortController();
    const call = createIpcClient(pair.bridge).call('runs.history', {}, { signal: controller.signal });
    await started;
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    await cancelled;
  });

  it('refuses calls past the in-flight cap with a typed error, and takes new ones once others end', async () => {
    const { handlers, started } = waitingHandlers();
    const pair = createMemoryIpcPair();
    const router = new IpcRouter(createDispatcher(apiRoutes, handlers), pair.server, { allowedSenders: ['http://localhost:5173'], maxInFlight: 1 });
    pair.bridge.send({ kind: 'call', id: 1, route: 'runs.history', input: {} });
    await started;
    const refused = nextReply(pair);
    pair.bridge.send({ kind: 'call', id: 2, route: 'runs.history', input: {} });
    expect(await refused).toMatchObject({ kind: 'end', id: 2, envelope: { ok: false, error: { code: 'BUSY', message: expect.stringMatching(/Too many requests at once/) } } });
    const ended = nextReply(pair);
    pair.bridge.send({ kind: 'cancel', id: 1 });
    expect(await ended).toMatchObject({ kind: 'end', id: 1 });
    expect(router.pending).toBe(0);
    const served = nextReply(pair);
    pair.bridge.send({ kind: 'call', id: 3, route: 'runs.history', input: {} });
    pair.bridge.send({ kind: 'cancel', id: 3 });
    expect(await served).toMatchObject({ kind: 'end', id: 3, envelope: { ok: true } });
  });
});
