/**
 * One sandbox worker thread. It starts a fresh CPython instance, lets it warm up until the runner
 * blocks reading its job, and tells the host it is ready. The whole loop is synchronous: the
 * guest blocks inside WebAssembly, so host messages are read with receiveMessageOnPort after a
 * wake-up through Atomics. Each instance serves one run; then the next one warms up.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { describeError, IMAGE_RENEW_AFTER_MS, ImageMemories, instantiate, resume, takeImage, useImage, writeSegments, type Guest, type Image } from './image.ts';
import type { HostToWorker, WorkerInit, WorkerToHost, GuestLimits, SharedImage } from './messages.ts';
import { ProcExit, type WasiHost } from './wasi.ts';
import { StdoutBudget, type StdoutOverrun } from '../stdout-budget.ts';
import { encodeFrame } from '../protocol.ts';

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
/** The engine's image on offer (given at start or sent since), not yet resumed from here. */
let offered: SharedImage | undefined = init.snapshot;
let awaitingSnapshot = init.awaitSnapshot ?? false;

function receive(): HostToWorker {
  for (;;) {
    const seen = Atomics.load(wake, 0);
    const message = receiveMessageOnPort(init.port);
    if (message) return message.message as HostToWorker;
    Atomics.wait(wake, 0, seen);
  }
}

/** The next message for the guest; an image the engine offers meanwhile is kept for the next guest. */
function receiveForGuest(): Exclude<HostToWorker, { type: 'snapshot' }> {
  for (;;) {
    const message = receive();
    if (message.type !== 'snapshot') return message;
    keepOffer(message);
  }
}

function keepOffer(message: Extract<HostToWorker, { type: 'snapshot' }>): void {
  offered = message.image;
  awaitingSnapshot = false;
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
  let serve: Uint8Array | undefined = new TextEncoder().encode(init.serveStatement);
  /** The guest's first bytes on stdout were the runner's `ready` frame (not, say, a failed statement's). */
  let serving = false;
  return {
    readStdin(max) {
      if (serve) {
        // CPython's prompt loop reads its first line: the statement that serves this run.
        const line = serve;
        serve = undefined;
        return line;
      }
      if (!announced) {
        if (!serving) throw new Error('The runner did not start: the guest read stdin before it sent its ready frame');
        announced = true;
        post({ type: 'ready', gen, specId });
      }
      while (stdin.length === 0) {
        const message = receiveForGuest();
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
      if (!announced && !serving) serving = startsWith(data, READY_FRAME);
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

const READY_FRAME = encodeFrame('ready', '');

function startsWith(data: Uint8Array, prefix: Uint8Array): boolean {
  return data.length >= prefix.length && prefix.every((byte, i) => data[i] === byte);
}

/** Thrown through the guest's stack: the guest wrote what the host must not take in. */
class Overrun {
  constructor(readonly overrun: StdoutOverrun) {}
}

function runOneGuest(): void {
  const gen = ++generation;
  const image = currentImage();
  const memory = image ? memories.take(image, limits.memoryPages) : new WebAssembly.Memory({ initial: init.image?.pages ?? FRESH_PAGES, maximum: limits.memoryPages });
  const host = guestHost(gen, memory);
  try {
    const guest = instantiate(init, memory, host);
    if (image) resume(guest, image);
    else start(guest, memory);
    post({ type: 'exit', gen, reason: 'exited', exitCode: 0, memoryBytes: memory.buffer.byteLength, ...host.stdinReport() });
  } catch (error) {
    if (error instanceof Respec) {
      limits = error.limits;
      specId = error.specId;
      return;
    }
    post({ ...describeFailure(error), gen, memoryBytes: memory.buffer.byteLength, ...host.stdinReport() });
  } finally {
    if (image) memories.giveBack(memory, image);
  }
}

/** What python.wasm declares; a module handed over without an image keeps its data section. */
const FRESH_PAGES = 160;
/** A worker retakes its image after this many runs of its own, or after IMAGE_RENEW_AFTER_MS. */
const RENEW_AFTER_RUNS = 1000;

/** A fresh start: the module's data (when the module came without it), then main. */
function start(guest: Guest, memory: WebAssembly.Memory): void {
  if (init.image) writeSegments(memory, init.image);
  guest.exports._start();
}

let image: Image | undefined;
/** Why no image could be taken: this worker's guests then start afresh, as without one. */
let imageFailure: string | undefined;
const memories = new ImageMemories();

function currentImage(): Image | undefined {
  if (!init.image || imageFailure) return undefined;
  while (awaitingSnapshot) {
    const message = receive(); // nothing but the image or new limits comes before this worker is ready
    if (message.type === 'snapshot') keepOffer(message);
    else if (message.type === 'respec') ({ limits, specId } = message);
  }
  if (offered && (!image || offered.takenAt > image.takenAt)) image = resumable(offered) ?? image;
  offered = undefined;
  if (image && (image.runs >= RENEW_AFTER_RUNS || Date.now() - image.takenAt >= IMAGE_RENEW_AFTER_MS)) image = undefined;
  image ??= ownImage();
  if (image) image.runs += 1;
  return image;
}

/** The engine's image, once a trial resume of it served (one from the disk cache may not: this worker then takes its own). */
function resumable(shared: SharedImage): Image | undefined {
  const startedAt = performance.now();
  const candidate = useImage(shared);
  try {
    if (!shared.checked) checkImage(candidate);
  } catch {
    return undefined;
  }
  const tried = !shared.checked;
  post({ type: 'image', taken: true, shared: true, tried, ms: performance.now() - startedAt, bytes: candidate.bytes.length, image: { ...shared, checked: true } });
  return candidate;
}

/** Takes an image here and hands it to the engine, which shares it with its other workers. */
function ownImage(): Image | undefined {
  const startedAt = performance.now();
  try {
    const taken = takeImage(init, init.image!, limits.memoryPages);
    memories.adopt(taken.memory, limits.memoryPages, taken.image);
    checkImage(taken.image);
    post({ type: 'image', taken: true, ms: performance.now() - startedAt, bytes: taken.image.bytes.length, image: { ...taken.image.shared, checked: true } });
    return taken.image;
  } catch (error) {
    imageFailure = error instanceof Error ? error.message : String(error);
    post({ type: 'image', taken: false, ms: performance.now() - startedAt, reason: imageFailure });
    return undefined;
  }
}

class CheckDone {}

/** Resumes a new image once, before any run relies on it: it must answer the serve statement with a `ready` frame. */
function checkImage(taken: Image): void {
  const memory = memories.take(taken, limits.memoryPages);
  const written: number[] = [];
  let served = false;
  const guest = instantiate(init, memory, {
    readStdin: () => {
      if (served) throw new CheckDone();
      served = true;
      return new TextEncoder().encode(init.serveStatement);
    },
    writeStdout: (data) => { written.push(...data.subarray(0, 64)); },
    writeStderr: () => undefined,
    sleep: () => undefined,
  });
  try {
    resume(guest, taken);
  } catch (error) {
    if (!(error instanceof CheckDone)) throw new Error(`a resumed interpreter failed (${describeError(error)})`);
  }
  memories.giveBack(memory, taken); // the next guest overwrites it whole
  if (!startsWith(Uint8Array.from(written), READY_FRAME)) throw new Error('a resumed interpreter did not announce itself');
}

type FailureExit = Omit<Extract<WorkerToHost, { type: 'exit' }>, 'gen' | 'stdinTaken' | 'unreadStdin'>;

function describeFailure(error: unknown): FailureExit {
  if (error instanceof ProcExit) return { type: 'exit', reason: 'exited', exitCode: error.code };
  if (error instanceof Overrun) return { type: 'exit', reason: error.overrun.reason, message: error.overrun.message };
  return { type: 'exit', reason: 'trap', message: describeError(error) };
}

// A guest that ends before it is ready (a broken SDK, a bad module) would fail the same way
// forever: stop the thread, so the engine sees a start-up failure instead of a silent spin.
for (;;) {
  runOneGuest();
  if (!announced) throw new Error('The sandbox could not start: the interpreter ended before it was ready');
}
