import { MessageChannel, Worker } from 'node:worker_threads';
import { workerScript } from './worker-script.ts';
import type { Guest, GuestExit, GuestHandlers } from '../engine.ts';
import type { GuestLimits, HostToWorker, SharedImage, WorkerInit, WorkerToHost } from './messages.ts';

/** What a worker starts its guests from (the engine's compiled module, its image recipe and shared image if any). */
export type GuestStart = Pick<WorkerInit, 'module' | 'image' | 'snapshot' | 'awaitSnapshot' | 'argv' | 'serveStatement'>;

/** What the worker said about its memory image: taken (in ms, of bytes), resumed from the engine's, or why not. */
export type ImageReport = Omit<Extract<WorkerToHost, { type: 'image' }>, 'type' | 'image'>;

interface SlotEvents {
  onReady(slot: WorkerSlot): void;
  onFree(slot: WorkerSlot): void;
  onDead(slot: WorkerSlot): void;
  /** The worker took a memory image (or failed to), or resumed the engine's (`shared`): the engine shares what it learnt. */
  onImage(slot: WorkerSlot, image: SharedImage | undefined, shared: boolean): void;
}

type SlotState = 'warming' | 'ready' | 'busy' | 'dead';

/**
 * One worker thread that hosts one guest at a time. The worker warms a guest up, the slot hands
 * it out for a single run, and the worker warms the next one by itself. kill() terminates the
 * thread (the only sure way to stop code spinning inside WebAssembly); the slot is then dead and
 * the engine replaces it.
 */
export class WorkerSlot {
  state: SlotState = 'warming';
  /** Whether a guest of this worker ever got ready: a worker that dies before is a start-up failure. */
  everReady = false;
  deathReason?: string;
  image?: ImageReport;
  /** Promised to a run (from acquire until its guest ends). */
  claimed = false;
  limits: GuestLimits;
  private readonly worker: Worker;
  private readonly port: MessageChannel['port1'];
  private readonly wake = new Int32Array(new SharedArrayBuffer(4));
  private readyGen = 0;
  private specId = 0;
  private busyGen = 0;
  /** Stdin messages sent to the busy guest: more than it took in means it left input unread. */
  private stdinSent = 0;
  private handlers?: GuestHandlers;
  private readyWaiters: Array<() => void> = [];
  /** The worker thread has exited (killed guests take their thread with them). */
  private readonly threadGone: Promise<void>;

  constructor(
    start: GuestStart,
    limits: GuestLimits,
    private readonly events: SlotEvents,
  ) {
    this.limits = limits;
    const channel = new MessageChannel();
    this.port = channel.port1;
    const init: WorkerInit = { ...start, limits, specId: 0, port: channel.port2, wake: this.wake.buffer as SharedArrayBuffer };
    this.worker = new Worker(workerScript(), {
      workerData: init,
      transferList: [channel.port2],
      env: {},
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 },
    });
    this.worker.on('message', (message: WorkerToHost) => this.onMessage(message));
    this.worker.on('error', (error) => this.die(`The sandbox engine failed: ${error.message}`));
    this.threadGone = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('exit', (code) => this.die(`The sandbox engine stopped (exit code ${code})`));
  }

  /** Waits until a guest with these limits is warm (re-warming with other limits if needed). */
  async whenReady(limits: GuestLimits): Promise<void> {
    if (!sameLimits(this.limits, limits)) {
      this.limits = limits;
      this.state = 'warming';
      this.send({ type: 'respec', limits, specId: ++this.specId });
    }
    while (this.state === 'warming') await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    if (this.state === 'dead') throw new Error('The sandbox engine stopped while starting');
  }

  /**
   * Hands the warm guest to one run. The handle is bound to that guest: once it has gone, writes
   * are dropped (they would otherwise wait in the port for the next guest) and kill does nothing.
   */
  take(handlers: GuestHandlers): Guest {
    this.state = 'busy';
    const gen = this.readyGen;
    this.busyGen = gen;
    this.stdinSent = 0;
    this.handlers = handlers;
    const current = () => this.state === 'busy' && this.busyGen === gen;
    return {
      write: (data) => {
        if (!current()) return;
        this.stdinSent += 1;
        this.send({ type: 'stdin', gen, data });
      },
      kill: () => {
        if (current()) this.kill();
      },
      gone: this.threadGone,
    };
  }

  kill(): void {
    if (this.state !== 'dead') this.end({ reason: 'killed' }, { terminate: true });
  }

  /** Ends the thread without warning, as a V8 crash would; the slot reports the crash itself. */
  terminateAbruptly(): Promise<number> {
    return this.worker.terminate();
  }

  /** The engine's newest image, for the worker's next guest; none: the image it awaits will not come. */
  offerImage(image: SharedImage | undefined): void {
    if (this.state !== 'dead') this.send({ type: 'snapshot', image });
  }

  close(): Promise<number> {
    this.state = 'dead';
    this.handlers = undefined;
    return this.worker.terminate();
  }

  private send(message: HostToWorker): void {
    this.port.postMessage(message);
    Atomics.add(this.wake, 0, 1);
    Atomics.notify(this.wake, 0);
  }

  private onMessage(message: WorkerToHost): void {
    if (message.type === 'image') {
      const { type: _, image, ...report } = message;
      this.image = report;
      this.events.onImage(this, image, report.shared === true);
      return;
    }
    if (message.type === 'ready') {
      if (message.specId !== this.specId) return; // warmed under limits that were since replaced
      this.everReady = true;
      this.readyGen = message.gen;
      if (this.state === 'warming') this.state = 'ready';
      this.readyWaiters.splice(0).forEach((resolve) => resolve());
      if (this.state === 'ready' && !this.claimed) this.events.onReady(this);
      return;
    }
    if (this.state !== 'busy' || message.gen !== this.busyGen) return; // warm-up noise or a stale guest
    if (message.type === 'stdout') this.handlers?.onStdout(message.data, message.memoryBytes);
    else if (message.type === 'stderr') this.handlers?.onStderr(message.data);
    else this.onGuestExit(message);
  }

  /**
   * A guest that left input unread, or grew its memory, takes its thread with it: nothing written
   * for one run may wait for the next, and terminating the thread is what frees a run's memory.
   */
  private onGuestExit(message: Extract<WorkerToHost, { type: 'exit' }>): void {
    const { reason, exitCode, message: text, memoryBytes } = message;
    const unread = message.unreadStdin || this.stdinSent > message.stdinTaken;
    const exit: GuestExit = { reason, exitCode, message: text, memoryBytes, leftInputUnread: unread };
    if (unread || (memoryBytes ?? 0) > RETAIN_MEMORY_BYTES) return this.end(exit, { terminate: true });
    this.state = 'warming';
    this.finishGuest(exit);
  }

  /** The slot is done for: its guest's run ends with `exit`, waiters wake, and the engine replaces it. */
  private end(exit: GuestExit, options: { terminate: boolean }): void {
    this.state = 'dead';
    this.finishGuest(exit);
    this.readyWaiters.splice(0).forEach((resolve) => resolve());
    if (options.terminate) void this.worker.terminate();
    this.events.onDead(this);
  }

  private finishGuest(exit: GuestExit): void {
    const handlers = this.handlers;
    this.handlers = undefined;
    this.claimed = false;
    handlers?.onExit(exit);
    if (this.state !== 'dead') this.events.onFree(this);
  }

  private die(reason: string): void {
    if (this.state === 'dead') return;
    this.deathReason = reason;
    this.end({ reason: 'crashed', message: reason }, { terminate: false });
  }
}

/**
 * A fresh guest uses about 10 MiB; one that grew past this gives its memory back by ending its
 * thread (V8 frees a WebAssembly memory only when nothing holds it and a GC runs, or with the isolate).
 */
const RETAIN_MEMORY_BYTES = 32 * 1024 * 1024;

function sameLimits(a: GuestLimits, b: GuestLimits): boolean {
  return a.memoryPages === b.memoryPages && a.logBytes === b.logBytes && a.outputBytes === b.outputBytes;
}
