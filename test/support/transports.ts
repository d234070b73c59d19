import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IpcRouter } from '../../src/ipc/router.ts';
import { createMemoryIpcPair } from '../../src/ipc/memory.ts';
import { startApiServer } from '../../src/server/server.ts';
import { createHttpClient } from '../../src/shared/api/http-client.ts';
import { createIpcClient } from '../../src/shared/api/ipc-client.ts';
import type { ApiClient } from '../../src/shared/api/types.ts';
import { createAppApi, type AppApi, type AppContextOptions } from '../../src/app/index.ts';
import { FakeSandbox } from './fake-sandbox.ts';

export type TransportName = 'direct' | 'ipc' | 'http';

export interface TransportFixture {
  client: ApiClient;
  api: AppApi;
  sandbox: FakeSandbox;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** A data folder prepared by the test (it is removed at the end); a fresh temporary one otherwise. */
  home?: string;
  ai?: AppContextOptions['ai'];
}

/** The same app (fake sandbox, temp data folder) behind one of the three transports. */
export async function openTransport(name: TransportName, options: TransportOptions = {}): Promise<TransportFixture> {
  const home = options.home ?? (await mkdtemp(join(tmpdir(), 'wf-contract-')));
  const sandbox = new FakeSandbox();
  const api = await createAppApi({ home, host: 'direct', runtime: sandbox, ai: options.ai ?? 'test', log: () => undefined, outboxRetryMs: 3_600_000 });
  let client: ApiClient = api.client;
  let stop = async (): Promise<void> => undefined;
  if (name === 'ipc') {
    const pair = createMemoryIpcPair();
    new IpcRouter(api.dispatcher, pair.server, { allowedSenders: ['http://localhost:5173'] });
    client = createIpcClient(pair.bridge);
    stop = async () => pair.disconnect();
  } else if (name === 'http') {
    const server = await startApiServer({ dispatcher: api.dispatcher, port: 0 });
    client = createHttpClient({ baseUrl: server.url, token: server.token });
    stop = () => server.close();
  }
  return {
    client,
    api,
    sandbox,
    close: async () => {
      await stop();
      await api.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
