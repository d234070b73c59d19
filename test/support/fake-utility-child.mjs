/**
 * Loaded first (node --import) in a child started by fake-utility-process.ts: gives it Electron's
 * `process.parentPort` and MessagePortMain ends for the ports main transferred, over the IPC
 * channel. As in Electron, parent-port messages wait until a 'message' listener is registered, a
 * port's messages until start(); the child ends with its parent. Plain JavaScript: worker threads
 * inherit the child's --import flags, and run it before any TypeScript loader; they get nothing.
 */
import { EventEmitter } from 'node:events';
import { isMainThread } from 'node:worker_threads';

/** @param {import('./fake-utility-process.ts').ShimMessage} message */
const send = (message) => process.connected && process.send?.(message);

class ChildPort extends EventEmitter {
  started = false;
  closed = false;
  /** @type {unknown[]} */
  queue = [];

  /** @param {number} id */
  constructor(id) {
    super();
    this.id = id;
  }

  postMessage(data) {
    if (!this.closed) send({ t: 'port', id: this.id, data });
  }

  start() {
    this.started = true;
    for (const data of this.queue.splice(0)) this.emit('message', { data, ports: [] });
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    send({ t: 'close', id: this.id });
    ports.delete(this.id);
  }

  receive(data) {
    if (this.closed) return;
    if (this.started) this.emit('message', { data, ports: [] });
    else this.queue.push(data);
  }

  remoteClosed() {
    if (this.closed) return;
    this.closed = true;
    ports.delete(this.id);
    this.emit('close');
  }
}

/** @type {Map<number, ChildPort>} */
const ports = new Map();

class ParentPort extends EventEmitter {
  /** @type {Array<{ data: unknown; ports: ChildPort[] }>} */
  queue = [];

  constructor() {
    super();
    this.on('newListener', (event) => {
      if (event === 'message') setImmediate(() => this.queue.splice(0).forEach((message) => this.emit('message', message)));
    });
  }

  postMessage(data) {
    send({ t: 'parent', data, ports: [] });
  }

  deliver(message) {
    if (this.listenerCount('message') > 0) this.emit('message', message);
    else this.queue.push(message);
  }
}

if (isMainThread) install();

function install() {
  const parentPort = new ParentPort();
  Object.assign(process, { parentPort });

  process.on('message', (message) => {
    if (message.t === 'parent') {
      const transferred = message.ports.map((id) => {
        const port = new ChildPort(id);
        ports.set(id, port);
        return port;
      });
      parentPort.deliver({ data: message.data, ports: transferred });
    } else if (message.t === 'port') ports.get(message.id)?.receive(message.data);
    else ports.get(message.id)?.remoteClosed();
  });
  // Electron ends a utility process with the app; a Node child would outlive a parent killed hard.
  process.on('disconnect', () => process.exit(0));
}
