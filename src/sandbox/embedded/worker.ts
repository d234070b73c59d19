/**
 * One sandbox worker thread. It starts a fresh CPython instance, lets it warm up until the runner
 * blocks reading its job, and tells the host it is ready. The whole loop is synchronous: the
 * guest blocks inside WebAssembly, so host messages are read with receiveMessageOnPort after a
 * wake-up through Atomics. Each instance serves one run; then the next one warms up.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { MEMORY_IMPORT } from './module.ts';
import type { HostToWorker, WorkerInit, WorkerToHost, GuestLimits } from './messages.ts';
import { createWasiImports, ProcExit, type WasiHost } from './wasi.ts';
import { StdoutBudget, type StdoutOverrun } from '../stdout-budget.ts';

class Respec {
  constructor(readonly limits: GuestLimits, readonly specId: number) {}
}

const init = workerData as WorkerInit;
const wake = new Int32Array(init.wake);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const post = (message: WorkerToHost) => parentPort!.postMessage(message);

let generation = 0;
let limits = init.limits;
let specId = init.specId;

function receive(): HostToWorker {
  for (;;) {
    const seen = Atomics.load(wake, 0);
    const message = receiveMessageOnPort(init.port);
    if (message) return message.message as HostToWorker;
    Atomics.wait(wake, 0, seen);
  }
}

/** Set once the current guest has told the host it is ready; a guest that dies before is a broken engine. */
let announced = false;

interface GuestHost extends WasiHost {
  /** What the guest did with its stdin, told to the host at exit (unread input retires the worker). */
  stdinReport(): { stdinTaken: number; unreadStdin: boolean };
}

function guestHost(gen: number, memory: WebAssembly.Memory): GuestHost {
  let stdin: Uint8Array = new Uint8Array(0);
  let stdinTaken = 0;
  announced = false;
  let stderrBytes = 0;
  const stdoutBudget = new StdoutBudget(limits.outputBytes);
  return {
    readStdin(max) {
      if (!announced) {
        announced = true;
        post({ type: 'ready', gen, specId });
      }
      while (stdin.length === 0) {
        const message = receive();
        if (message.type === 'respec') throw new Respec(message.limits, message.specId);
        // Written for an earlier guest of this thread, after it had gone: never this guest's input.
        if (message.gen !== gen) continue;
        stdin = message.data;
        stdinTaken += 1;
        stdoutBudget.answered();
      }
      const chunk = stdin.subarray(0, max);
      stdin = stdin.subarray(chunk.length);
      return chunk;
    },
    writeStdout(data) {
      const overrun = stdoutBudget.push(data);
      if (overrun) throw new Overrun(overrun);
      post({ type: 'stdout', gen, data, memoryBytes: memory.buffer.byteLength });
    },
    writeStderr(data) {
      // The host keeps logBytes and marks the cut; one byte past the cap tells it to.
      const room = limits.logBytes + 1 - stderrBytes;
      if (room <= 0) return;
      const part = data.length > room ? data.subarray(0, room) : data;
      stderrBytes += part.length;
      post({ type: 'stderr', gen, data: part });
    },
    sleep(ms) {
      Atomics.wait(sleeper, 0, 0, ms);
    },
    stdinReport: () => ({ stdinTaken, unreadStdin: stdin.length > 0 }),
  };
}

/** Thrown through the guest's stack: the guest wrote what the host must not take in. */
class Overrun {
  constructor(readonly overrun: StdoutOverrun) {}
}

function runOneGuest(): void {
  const gen = ++generation;
  const memory = new WebAssembly.Memory({ initial: 160, maximum: limits.memoryPages });
  const host = guestHost(gen, memory);
  const wasi = createWasiImports(memory, init.argv, host);
  try {
    const instance = new WebAssembly.Instance(init.module, {
      wasi_snapshot_preview1: wasi,
      [MEMORY_IMPORT.module]: { [MEMORY_IMPORT.name]: memory },
    });
    (instance.exports._start as () => void)();
    post({ type: 'exit', gen, reason: 'exited', exitCode: 0, memoryBytes: memory.buffer.byteLength, ...host.stdinReport() });
  } catch (error) {
    if (error instanceof Respec) {
      limits = error.limits;
      specId = error.specId;
      return;
    }
    post({ ...describeFailure(error), gen, memoryBytes: memory.buffer.byteLength, ...host.stdinReport() });
  }
}

type FailureExit = Omit<Extract<WorkerToHost, { type: 'exit' }>, 'gen' | 'stdinTaken' | 'unreadStdin'>;

function describeFailure(error: unknown): FailureExit {
  if (error instanceof ProcExit) return { type: 'exit', reason: 'exited', exitCode: error.code };
  if (error instanceof Overrun) return { type: 'exit', reason: error.overrun.reason, message: error.overrun.message };
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { type: 'exit', reason: 'trap', message };
}

// A guest that ends before it is ready (a broken SDK, a bad module) would fail the same way
// forever: stop the thread, so the engine sees a start-up failure instead of a silent spin.
for (;;) {
  runOneGuest();
  if (!announced) throw new Error('The sandbox could not start: the interpreter ended before it was ready');
}
