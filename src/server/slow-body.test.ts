import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../shared/api/routes.ts';
import { createDispatcher } from '../app/dispatcher.ts';
import { appInfoOnlyHandlers } from '../../test/support/app-info-handlers.ts';
import { startApiServer, type ApiServer } from './server.ts';

const handlers = appInfoOnlyHandlers;

const ATTACKERS = 200;
const BODY_TIMEOUT_MS = 4000;

interface SlowBody {
  socket: Socket;
  /** Everything the server sent back, once it closed the connection. */
  answer: Promise<string>;
}

/** An authenticated call whose body trickles in one byte every 200 ms and would take minutes to arrive. */
function slowBody(server: ApiServer): SlowBody {
  const socket = connect(server.port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(`POST /api/call/app.info HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\n`
    + `Authorization: Bearer ${server.token}\r\nContent-Length: 1000\r\n\r\n{`);
  const trickle = setInterval(() => socket.writable && socket.write(' '), 200);
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
  return { socket, answer: new Promise((resolve) => socket.on('close', () => {
    clearInterval(trickle);
    resolve(answer);
  })) };
}

async function normalCall(server: ApiServer): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${server.url}/api/call/app.info`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` }, body: '{}',
  });
  await response.text();
  return { status: response.status, ms: performance.now() - started };
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T | 'too late'> =>
  Promise.race([promise, sleep(ms).then(() => 'too late' as const)]);

describe('slow request bodies', () => {
  let server: ApiServer;
  const attackers: SlowBody[] = [];

  beforeAll(async () => {
    server = await startApiServer({ dispatcher: createDispatcher(apiRoutes, handlers), bodyTimeoutMs: BODY_TIMEOUT_MS });
  });
  afterAll(async () => {
    for (const attacker of attackers) attacker.socket.destroy();
    await server.close();
  });

  it(`${ATTACKERS} authenticated slow bodies neither block a normal call nor outlive their deadline`, async () => {
    const started = performance.now();
    for (let i = 0; i < ATTACKERS; i++) attackers.push(slowBody(server));
    await sleep(500);

    const meanwhile = await normalCall(server);
    expect(meanwhile.status).toBe(200);
    // Answered while every slow body still held its connection: it waited for none of them.
    expect(attackers.every((attacker) => !attacker.socket.closed)).toBe(true);

    const answers = await within(Promise.all(attackers.map((attacker) => attacker.answer)), BODY_TIMEOUT_MS + 10_000);
    expect(answers).not.toBe('too late');
    const timedOut = (answers as string[]).filter((answer) => /^HTTP\/1\.1 408 /.test(answer) && answer.includes('"code":"TIMEOUT"'));
    expect(timedOut).toHaveLength(ATTACKERS);
    expect(performance.now() - started).toBeLessThan(BODY_TIMEOUT_MS + 10_000);

    // Every slot they took is free again: a full load of normal calls goes through.
    const after = await Promise.all(Array.from({ length: 64 }, () => normalCall(server)));
    expect(after.map((call) => call.status)).toEqual(Array(64).fill(200));
  });

  it('refuses a large body past the shared budget with BUSY, while small calls still go through', async () => {
    // One call slot: 8 MiB for all bodies still arriving.
    const small = await startApiServer({ dispatcher: createDispatcher(apiRoutes, handlers), maxInFlight: 1, bodyTimeoutMs: BODY_TIMEOUT_MS });
    const stalled = (): SlowBody => {
      const socket = connect(small.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write(`POST /api/call/app.info HTTP/1.1\r\nHost: 127.0.0.1:${small.port}\r\nContent-Type: application/json\r\n`
        + `Authorization: Bearer ${small.token}\r\nContent-Length: ${6 * 1024 * 1024}\r\n\r\n${' '.repeat(5 * 1024 * 1024)}`);
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      return { socket, answer: new Promise((resolve) => socket.on('close', () => resolve(answer))) };
    };
    try {
      const first = stalled();
      await sleep(300);
      const second = await within(stalled().answer, 3000);
      expect(second).toMatch(/^HTTP\/1\.1 429 [\s\S]*"code":"BUSY"/);
      expect((await normalCall(small)).status).toBe(200);
      expect(await within(first.answer, BODY_TIMEOUT_MS + 3000)).toMatch(/^HTTP\/1\.1 408 /);
    } finally {
      await small.close();
    }
  });
});
