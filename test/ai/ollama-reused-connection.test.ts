import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createOllamaClient } from '../../src/ai/ollama-connection.ts';

/**
 * A kept-alive connection the server closes just as the client reuses it ends a request with
 * "other side closed" before any answer (CI saw it as an e2e run's AI_UNAVAILABLE: "the server
 * closed the connection without answering (tried GET /api/tags …)"). A read is safe to ask again.
 */
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serverDroppingFirst(count: number): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  server = createServer((request, response) => {
    requests++;
    if (requests <= count) return void request.socket.destroy();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ models: [] }));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

it('asks a read again once when the connection closes before any answer', async () => {
  const fake = await serverDroppingFirst(1);
  const client = createOllamaClient({ host: fake.url, headers: {}, source: 'settings' });
  await expect(client.list()).resolves.toEqual({ models: [] });
  expect(fake.requests()).toBe(2);
});

it('gives up after the second close, with the closed connection as the reason', async () => {
  const fake = await serverDroppingFirst(5);
  const client = createOllamaClient({ host: fake.url, headers: {}, source: 'settings' });
  await expect(client.list()).rejects.toThrow(/fetch failed|other side closed|socket/i);
  expect(fake.requests()).toBe(2);
});
