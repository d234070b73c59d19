import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { PG_SERVER } from './postgres.ts';

interface Rule {
  text: string;
  action: 'cut' | 'hold';
  reached: () => void;
  release?: () => void;
}

/**
 * A TCP proxy the test controls, in front of the real PostgreSQL: `down()` cuts every connection
 * and refuses new ones ("the database is unreachable") without touching the machine's server;
 * `up()` listens again on the same port, so the app sees the same marketplace come back.
 * It can also act at an exact point of a conversation: cut everything, or hold a message back,
 * when the client sends a statement containing some text (a statement travels in one chunk on
 * loopback, which is all these tests need).
 */
export class TcpProxy {
  readonly host = '127.0.0.1';
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly rules: Rule[] = [];
  port = 0;

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target);
    await proxy.up();
    return proxy;
  }

  /** A proxy in front of the PostgreSQL server the tests use. */
  static toPostgres(): Promise<TcpProxy> {
    const server = new URL(PG_SERVER);
    return TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
  }

  /** The URL of `databaseUrl`'s database and user, through this proxy. */
  url(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = this.host;
    url.port = String(this.port);
    return url.toString();
  }

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  close(): Promise<void> {
    for (const rule of this.rules.splice(0)) rule.release?.();
    return this.down();
  }

  /** When a client next sends `text`, that message never arrives: every connection is cut and the proxy stays down. */
  cutWhenClientSends(text: string): Promise<void> {
    return new Promise((reached) => this.rules.push({ text, action: 'cut', reached }));
  }

  /** When a client next sends `text`, that message waits until `release()`; `reached` says it has arrived. */
  holdWhenClientSends(text: string): { reached: Promise<void>; release: () => void } {
    let rule!: Rule;
    const reached = new Promise<void>((resolve) => {
      rule = { text, action: 'hold', reached: resolve };
    });
    this.rules.push(rule);
    return { reached, release: () => rule.release?.() };
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => this.fromClient(chunk, client, upstream));
  }

  private fromClient(chunk: Buffer, client: Socket, upstream: Socket): void {
    const index = this.rules.findIndex((rule) => chunk.includes(rule.text));
    const rule = index >= 0 ? this.rules.splice(index, 1)[0] : undefined;
    if (rule?.action === 'cut') {
      void this.down().then(rule.reached);
      return;
    }
    if (rule) {
      client.pause();
      rule.release = () => {
        upstream.write(chunk);
        client.resume();
      };
      rule.reached();
      return;
    }
    if (!upstream.write(chunk)) {
      client.pause();
      upstream.once('drain', () => client.resume());
    }
  }
}
