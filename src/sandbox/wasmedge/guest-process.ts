import { execa, type ResultPromise } from 'execa';
import type { Guest, GuestExit, GuestHandlers, GuestSpec } from '../engine.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { RunMode } from './args.ts';
import { StdoutBudget } from '../stdout-budget.ts';
import { classifyExit, EngineDiagnostics, type ExitFacts } from './exit.ts';
import { StderrFrames } from './stderr-frames.ts';
import { StdoutDemux } from './stdout-demux.ts';

export interface LaunchPlan {
  binary: string;
  args: string[];
  mode: RunMode;
  /** The --time-limit passed to WasmEdge, for telling its time-out from a trap. */
  timeLimitMs: number;
  /** Pool key: guests are interchangeable only with the same memory and time limits. */
  key: string;
  /** This process's mark for frames on fd 2 (see stderr-frames.ts), also on its command line. */
  frameMark: string;
}

export interface GuestTimers {
  startupTimeoutMs: number;
  /** Host backstop after hand-out: kill at wallTimeMs + this, whatever WasmEdge's own clock says. */
  backstopGraceMs: number;
}

/** Bytes a guest may write before hand-out or between `ready` and hand-out (the runner writes none). */
const MAX_EARLY_BYTES = 64 * 1024;
/** Stderr past logBytes is dropped here (the bridge marks the cut); a little slack keeps the marker honest. */
const STDERR_SLACK_BYTES = 64 * 1024;

const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * After its last frame a guest must leave within this, or it counts as a plugin that kept running.
 * A failing run's report imports traceback first: ~3.4 s in WasmEdge's interpreter (measured with
 * a real 0.17.1), a few tens of ms in AOT code; both leave room for a busy machine.
 */
const EXIT_AFTER_REPORT_MS: Record<RunMode, number> = { interpreter: 20_000, aot: 3000 };

type Sink = { stdout(bytes: Uint8Array): void; stderr(bytes: Uint8Array): void };

/**
 * One `wasmedge` process running CPython with the runner, used for exactly one run. It is started
 * ahead, waits for the runner's `ready` frame, then is handed out: from then on its stdout (less
 * WasmEdge's own log lines) and stderr go to the run's handlers.
 */
export class WasmEdgeGuest implements Guest {
  readonly ready: Promise<void>;
  /** Settles once the process is gone and its output drained. */
  readonly exited: Promise<GuestExit>;
  readonly spawnedAt = Date.now();
  readonly exitAfterReportMs: number;
  private readonly subprocess: ResultPromise;
  private readonly diagnostics = new EngineDiagnostics();
  private readonly demux: StdoutDemux;
  private readonly stderrFrames: StderrFrames;
  private sink: Sink;
  private early: Array<{ stream: 'stdout' | 'stderr'; bytes: Uint8Array }> = [];
  private earlyBytes = 0;
  private sawReady = false;
  private handlers?: GuestHandlers;
  /** What the run's guest may write on fd 1 (set at hand-out). */
  private stdoutBudget?: StdoutBudget;
  private exit?: GuestExit;
  private hostStop?: ExitFacts['hostStop'];
  private timers: NodeJS.Timeout[] = [];
  private settleReady!: { resolve(): void; reject(error: Error): void };
  private settleExited!: (exit: GuestExit) => void;

  constructor(readonly plan: LaunchPlan, private readonly guestTimers: GuestTimers) {
    this.exitAfterReportMs = EXIT_AFTER_REPORT_MS[plan.mode];
    this.ready = new Promise<void>((resolve, reject) => { this.settleReady = { resolve, reject }; });
    this.ready.catch(() => { /* observed by acquire; a pooled guest that dies is simply dropped */ });
    this.exited = new Promise<GuestExit>((resolve) => { this.settleExited = resolve; });
    this.sink = this.beforeReadySink();
    this.demux = new StdoutDemux({
      onGuestBytes: (bytes) => this.sink.stdout(bytes),
      onEngineLine: (line) => this.diagnostics.add(line),
      onFrameEnd: (kind) => { if (kind === 'ready' && !this.sawReady) this.onReady(); },
    });
    this.stderrFrames = new StderrFrames(plan.frameMark, {
      onFrameBytes: (bytes) => this.sink.stdout(bytes),
      onText: (bytes) => this.sink.stderr(bytes),
    });
    this.subprocess = execa(plan.binary, plan.args, {
      env: {}, extendEnv: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe',
      buffer: false, reject: false, encoding: 'buffer', windowsHide: true, cleanup: true,
    });
    this.subprocess.stdin?.on('error', () => { /* EPIPE after the guest exits: nothing to deliver */ });
    this.subprocess.stdout?.on('data', (chunk: Buffer) => this.demux.push(plainBytes(chunk)));
    this.subprocess.stderr?.on('data', (chunk: Buffer) => this.stderrFrames.push(plainBytes(chunk)));
    this.timers.push(setTimeout(() => this.failStartup(`not ready after ${guestTimers.startupTimeoutMs} ms`), guestTimers.startupTimeoutMs));
    void this.subprocess.then((result) => this.onProcessEnd(result), (error: unknown) => this.onProcessEnd({ failed: true, message: String(error) }));
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Hands the guest to a run: output flows to `handlers`, and the host's wall-time backstop starts. */
  attach(handlers: GuestHandlers, spec: GuestSpec): void {
    if (this.handlers) throw new WasmForgeError('INTERNAL', 'a WasmEdge guest was handed out twice');
    this.handlers = handlers;
    this.sink = this.runSink(handlers, spec);
    for (const { stream, bytes } of this.early) this.sink[stream](bytes);
    this.early = [];
    if (this.exit) {
      const exit = this.exit;
      queueMicrotask(() => handlers.onExit(exit));
      return;
    }
    const backstopMs = Math.min(MAX_TIMER_MS, spec.wallTimeMs + this.guestTimers.backstopGraceMs);
    this.timers.push(setTimeout(() => this.stop('timeout', `wall time limit of ${spec.wallTimeMs} ms elapsed`), backstopMs));
  }

  /** The bridge writes one frame per call: the job, or the answer to a request. */
  write(bytes: Uint8Array): void {
    if (!this.alive) return;
    this.stdoutBudget?.answered();
    this.subprocess.stdin?.write(bytes);
  }

  kill(): void {
    this.stop('killed', 'killed by the host');
  }

  private stop(reason: NonNullable<ExitFacts['hostStop']>['reason'], message: string): void {
    if (!this.alive || this.hostStop) return;
    this.hostStop = { reason, message };
    this.subprocess.kill('SIGKILL');
  }

  private onReady(): void {
    this.sawReady = true;
    this.clearTimers();
    this.sink = this.idleSink();
    this.settleReady.resolve();
  }

  private failStartup(why: string): void {
    if (this.sawReady) return;
    this.stop('killed', `WasmEdge guest (${this.plan.mode}) ${why}`);
  }

  private onProcessEnd(result: { exitCode?: number; signal?: string; failed?: boolean; code?: string; message?: string }): void {
    this.demux.end();
    this.stderrFrames.end();
    this.clearTimers();
    const spawnError = result.exitCode === undefined && !result.signal && result.failed ? (result.code ?? result.message ?? 'unknown error') : undefined;
    this.exit = classifyExit({
      exitCode: result.exitCode,
      signal: this.hostStop ? undefined : result.signal,
      hostStop: this.hostStop,
      spawnError,
      sawReady: this.sawReady,
      elapsedMs: Date.now() - this.spawnedAt,
      timeLimitMs: this.plan.timeLimitMs,
      diagnostics: this.diagnostics,
    });
    if (!this.sawReady) {
      const detail = [this.exit.message ?? `exit status ${this.exit.exitCode ?? '?'}`, this.earlyText()].filter(Boolean).join('\n');
      this.settleReady.reject(new WasmForgeError('ENGINE_CRASHED', `WasmEdge could not start the guest: ${detail}`));
    }
    this.settleExited(this.exit);
    this.handlers?.onExit(this.exit);
  }

  /** Before `ready`: the runner's start-up says nothing worth keeping; a little is kept for errors. */
  private beforeReadySink(): Sink {
    return {
      stdout: (bytes) => this.keepEarly('stdout', bytes),
      stderr: (bytes) => this.keepEarly('stderr', bytes),
    };
  }

  /** Between `ready` and hand-out: kept (bounded) and replayed to the run. */
  private idleSink(): Sink {
    this.early = [];
    this.earlyBytes = 0;
    return this.beforeReadySink();
  }

  private keepEarly(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    this.earlyBytes += bytes.length;
    if (this.earlyBytes > MAX_EARLY_BYTES) return this.stop('flood', 'the guest wrote output before its run started');
    this.early.push({ stream, bytes });
  }

  /** The end of what the guest wrote before it was ready, for the crash message (e.g. a Python error). */
  private earlyText(): string {
    const text = new TextDecoder().decode(Buffer.concat(this.early.map((part) => part.bytes)));
    return text.length > 1000 ? `…${text.slice(-1000)}` : text;
  }

  private runSink(handlers: GuestHandlers, spec: GuestSpec): Sink {
    const budget = new StdoutBudget(spec.outputBytes);
    this.stdoutBudget = budget;
    const stderrCap = spec.logBytes + STDERR_SLACK_BYTES;
    let stderrBytes = 0;
    return {
      stdout: (bytes) => {
        // The same rules as the embedded engine's: requests are bounded by the protocol, not counted as output.
        const overrun = budget.push(bytes);
        if (overrun) return this.stop(overrun.reason, overrun.message);
        handlers.onStdout(bytes);
      },
      stderr: (bytes) => {
        const room = stderrCap - stderrBytes;
        stderrBytes += bytes.length;
        // A flood on stderr never stalls a run: the pipe keeps draining, the excess is dropped.
        if (room > 0) handlers.onStderr(room >= bytes.length ? bytes : bytes.subarray(0, room));
      },
    };
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}

/** A plain Uint8Array view: its slice() copies, unlike Buffer's, so kept bytes never alias a chunk. */
function plainBytes(chunk: Buffer): Uint8Array {
  return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
