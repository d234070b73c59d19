import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMessageChannelMain, utilityProcess, type FakeUtilityProcess } from '../../test/support/fake-utility-process.ts';
import { BACKEND_NICENESS } from './priority.ts';
import type { FromBackend } from './protocol.ts';

// The backend entry for real, in a child process given Electron's parentPort by the stand-in:
// the real app API (PGlite, python.wasm) behind a MessagePort per document.
const ENTRY = fileURLToPath(new URL('./index.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'wasmforge-backend-'));
let backend: FakeUtilityProcess;
const fromBackend: FromBackend[] = [];

function nextFromBackend(type: FromBackend['type']): Promise<FromBackend> {
  return new Promise((resolve) => {
    const check = () => {
      const found = fromBackend.find((message) => message.type === type);
      if (found) resolve(found);
      else setTimeout(check, 10);
    };
    check();
  });
}

function connect(peer: string) {
  const { port1, port2 } = new FakeMessageChannelMain();
  backend.postMessage({ type: 'connect', peer }, [port2]);
  const replies: Array<{ kind: string; id: number; envelope?: { ok: boolean; data?: unknown; error?: { code: string } } }> = [];
  port1.on('message', (event: { data: (typeof replies)[number] }) => replies.push(event.data));
  port1.start();
  return { port: port1, replies };
}

beforeAll(() => {
  backend = utilityProcess.fork(ENTRY, [], { serviceName: 'wasmforge-backend' });
  backend.on('message', (message: FromBackend) => fromBackend.push(message));
});
afterAll(() => {
  backend.kill();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the backend process', () => {
  it('serves the API over a port connected before it is ready, once it is, and logs to its own file', async () => {
    const early = connect('1.0');
    early.port.postMessage({ kind: 'call', id: 1, route: 'app.info', input: {} });
    backend.postMessage({ type: 'start', home: join(scratch, 'home'), ai: 'test', generation: 1 });
    const ready = await nextFromBackend('ready');
    expect(ready).toMatchObject({ generation: 1, logFile: join(scratch, 'home', 'logs', 'backend.1.log') });
    await expect.poll(() => early.replies, { timeout: 30_000 }).toContainEqual(expect.objectContaining({ kind: 'end', id: 1, envelope: expect.objectContaining({ ok: true }) }));
    expect(early.replies[0]?.envelope?.data).toMatchObject({ host: 'desktop', dataHome: join(scratch, 'home') });
    expect(readFileSync(join(scratch, 'home', 'logs', 'backend.1.log'), 'utf8')).toContain('"msg":"backend ready"');
  }, 60_000);

  it.skipIf(process.platform !== 'linux')('yields the CPU to the windows: every thread of the backend runs at lower priority', () => {
    const niceness = (tid: string) => Number(readFileSync(`/proc/${backend.pid}/task/${tid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ')[16]);
    const threads = readdirSync(`/proc/${backend.pid}/task`);
    expect(threads.length).toBeGreaterThan(1);
    expect(threads.map(niceness)).toEqual(threads.map(() => BACKEND_NICENESS));
  });

  it('keeps each document’s calls apart and validates what arrives', async () => {
    const a = connect('2.0');
    const b = connect('3.0');
    a.port.postMessage({ kind: 'call', id: 7, route: 'templates.list', input: {} });
    b.port.postMessage({ kind: 'call', id: 7, route: 'no.such.route', input: {} });
    a.port.postMessage({ kind: 'bogus' });
    await expect.poll(() => a.replies.length + b.replies.length, { timeout: 20_000 }).toBe(2);
    expect(a.replies[0]).toMatchObject({ kind: 'end', id: 7, envelope: { ok: true } });
    expect(b.replies[0]).toMatchObject({ kind: 'end', id: 7, envelope: { ok: false, error: { code: 'BAD_INPUT' } } });
  }, 30_000);

  it('closes the API and exits 0 when main asks it to', async () => {
    const exited = new Promise<number>((resolve) => backend.on('exit', resolve));
    backend.postMessage({ type: 'shutdown' });
    expect(await exited).toBe(0);
    expect(readFileSync(join(scratch, 'home', 'logs', 'backend.1.log'), 'utf8')).toContain('"msg":"backend closed"');
  }, 30_000);
});
