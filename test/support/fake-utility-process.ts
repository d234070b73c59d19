/**
 * Electron 45's utilityProcess and MessageChannelMain for the shell's tests and the bench, where no
 * Electron binary exists. The child is real: child_process.fork of the same entry (TypeScript runs
 * through tsx), with fake-utility-child.mjs loaded first to give it `process.parentPort`. What the
 * shell relies on behaves as Electron documents it:
 * - utilityProcess.fork(modulePath, args, { env, execArgv, cwd, stdio, serviceName }) returns a child
 *   with postMessage(message, transfer), kill() (SIGTERM, true when sent), pid (undefined before
 *   'spawn' and after 'exit'), and the events 'spawn', 'message' (the data itself) and 'exit' (code);
 *   app emits 'child-process-gone' ({ type: 'Utility', reason, exitCode, serviceName, name }) for one
 *   that did not exit cleanly.
 * - a MessagePortMain queues what it receives until start(); 'message' gives { data, ports }; close()
 *   makes the other end emit 'close'. A port given in `transfer` moves into the child: what its partner
 *   posts then travels over the child's IPC channel, structured-cloned (serialization 'advanced').
 * The exit code of a child killed by a signal is the signal's number (what waitpid reports).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { FakeEmitter } from './fake-electron-emitter.ts';

const CHILD_SHIM = fileURLToPath(new URL('./fake-utility-child.mjs', import.meta.url));

/** The wire between this process and the child: parent-port messages, and port traffic by port id. */
export type ShimMessage =
  | { t: 'parent'; data: unknown; ports: number[] }
  | { t: 'port'; id: number; data: unknown }
  | { t: 'close'; id: number };

let nextPortId = 1;

export class FakeMessagePortMain extends FakeEmitter {
  partner!: FakeMessagePortMain;
  /** Set once this end was transferred into a child: what reaches it goes there. */
  remote?: { child: FakeUtilityProcess; id: number };
  private started = false;
  private closed = false;
  private readonly queue: unknown[] = [];

  postMessage(message: unknown): void {
    if (this.closed || this.remote) return; // a transferred end is the child's to use
    this.partner.receive(structuredClone(message));
  }

  start(): void {
    this.started = true;
    for (const data of this.queue.splice(0)) this.dispatch(data);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.partner.remoteClosed();
  }

  /** Something the partner posted (or the child sent for the transferred partner). */
  receive(data: unknown): void {
    if (this.closed) return;
    if (this.remote) this.remote.child.sendShim({ t: 'port', id: this.remote.id, data });
    else if (this.started) this.dispatch(data);
    else this.queue.push(data);
  }

  remoteClosed(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.remote) this.remote.child.sendShim({ t: 'close', id: this.remote.id });
    else setImmediate(() => this.emit('close'));
  }

  private dispatch(data: unknown): void {
    setImmediate(() => !this.closed && this.emit('message', { data, ports: [] }));
  }
}

export class FakeMessageChannelMain {
  readonly port1 = new FakeMessagePortMain();
  readonly port2 = new FakeMessagePortMain();

  constructor() {
    this.port1.partner = this.port2;
    this.port2.partner = this.port1;
  }
}

export interface ForkOptions {
  env?: NodeJS.ProcessEnv;
  execArgv?: string[];
  cwd?: string;
  stdio?: 'pipe' | 'ignore' | 'inherit' | string[];
  serviceName?: string;
}

export class FakeUtilityProcess extends FakeEmitter {
  static readonly created: FakeUtilityProcess[] = [];
  /** app, to emit child-process-gone on, as Electron does. */
  static app?: FakeEmitter;
  pid: number | undefined;
  readonly child: ChildProcess;
  private readonly transferred = new Map<number, FakeMessagePortMain>();

  constructor(modulePath: string, args: string[], readonly options: ForkOptions) {
    super();
    FakeUtilityProcess.created.push(this);
    const stdio = options.stdio === 'pipe' || options.stdio === 'ignore' ? options.stdio : 'inherit';
    this.child = fork(modulePath, args, {
      env: options.env ?? process.env, cwd: options.cwd, serialization: 'advanced',
      execArgv: ['--import', 'tsx', '--import', CHILD_SHIM, ...(options.execArgv ?? [])],
      stdio: [stdio === 'inherit' ? 'ignore' : stdio, stdio, stdio, 'ipc'],
    });
    this.child.on('spawn', () => {
      this.pid = this.child.pid;
      this.emit('spawn');
    });
    this.child.on('message', (message: ShimMessage) => this.fromChild(message));
    this.child.on('exit', (code, signal) => this.exited(code, signal));
  }

  postMessage(message: unknown, transfer: FakeMessagePortMain[] = []): void {
    const ids = transfer.map((port) => {
      const id = nextPortId++;
      port.remote = { child: this, id };
      this.transferred.set(id, port);
      return id;
    });
    this.sendShim({ t: 'parent', data: message, ports: ids });
  }

  kill(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.kill('SIGTERM');
  }

  sendShim(message: ShimMessage): void {
    if (this.child.connected) this.child.send(message);
  }

  private fromChild(message: ShimMessage): void {
    if (message.t === 'parent') this.emit('message', message.data);
    else if (message.t === 'port') this.transferred.get(message.id)?.partner.receive(message.data);
    else this.transferred.get(message.id)?.partner.remoteClosed();
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.pid = undefined;
    const exitCode = code ?? (signal ? constants.signals[signal] : 1);
    // The child's ports are gone with it: their partners in this process see them close.
    for (const port of this.transferred.values()) port.partner.remoteClosed();
    this.transferred.clear();
    if (exitCode !== 0) {
      const reason = signal === 'SIGKILL' || signal === 'SIGTERM' ? 'killed' : 'crashed';
      FakeUtilityProcess.app?.emit('child-process-gone', {}, { type: 'Utility', reason, exitCode, serviceName: 'node.mojom.NodeService', name: this.options.serviceName ?? 'Node Utility Process' });
    }
    this.emit('exit', exitCode);
  }
}

export const utilityProcess = {
  fork: (modulePath: string, args: string[] = [], options: ForkOptions = {}) => new FakeUtilityProcess(modulePath, args, options),
};
