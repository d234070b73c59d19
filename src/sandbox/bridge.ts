import { z } from 'zod';
import type { AiSession } from '../ai/broker.ts';
import { plainErrorInfo, type ErrorCode, type ErrorInfo } from '../shared/errors.ts';
import type { RunEvent } from '../shared/run.ts';
import { AiFrameHandler } from './ai-frames.ts';
import type { Guest, GuestExit, GuestHandlers } from './engine.ts';
import type { SandboxLimits } from './limits.ts';
import { encodeJob, type GuestJob } from './guest-code.ts';
import { encodeFrame, encodeJsonFrame, FrameParser, MAX_REQUEST_BYTES, payloadCap, REQUEST_KINDS, type Frame } from './protocol.ts';
import { formatBytes, LogCollector, OutputCollector } from './streams.ts';

/** Codes the guest may report about itself; any other code from the guest is a protocol error. */
const GUEST_CODES: ReadonlySet<ErrorCode> = new Set(['PLUGIN_ERROR', 'SYNTAX_ERROR', 'MEMORY_LIMIT', 'BAD_INPUT']);
/**
 * The runner leaves the interpreter right after its last frame (`done` or `error`): a guest still
 * there this long after is a plugin that forged the frame and kept running, and it is stopped.
 * A real exit is quick, but the host may be busy and WasmEdge's teardown takes time: a correct
 * plugin must never fail on it, so the window is a whole second (an engine may ask for more:
 * Guest.exitAfterReportMs).
 */
const EXIT_AFTER_REPORT_MS = 1000;

const guestErrorSchema = z.object({
  code: z.string(),
  message: z.string().max(64 * 1024),
  traceback: z.string().max(512 * 1024).optional(),
  line: z.number().int().nonnegative().optional(),
  column: z.number().int().nonnegative().optional(),
});

export interface BridgeOutcome {
  error: ErrorInfo | null;
  output: string;
  logs: string;
  memoryBytes?: number;
}

/**
 * The host side of one run: reads the guest's frames and console, answers its requests, enforces
 * the output and log caps, and settles exactly once (done, error, limit, exit, timeout, cancel).
 */
export class RunBridge {
  readonly finished: Promise<BridgeOutcome>;
  private settle!: (outcome: BridgeOutcome) => void;
  private settled = false;
  private guest?: Guest;
  private readonly logs: LogCollector;
  private readonly output: OutputCollector;
  private readonly parser: FrameParser;
  private readonly ai: AiFrameHandler;
  private memoryBytes?: number;
  private exited = false;
  /** The guest said `done`; the run succeeds only if the guest then really leaves, cleanly. */
  private reportedDone = false;
  private exitWatch?: NodeJS.Timeout;
  /** The kind of request the host is still answering (the SDK always reads an answer before going on). */
  private unanswered?: string;

  constructor(
    private readonly limits: SandboxLimits,
    session: AiSession,
    private readonly onEvent?: (event: RunEvent) => void,
  ) {
    this.finished = new Promise((resolve) => (this.settle = resolve));
    this.logs = new LogCollector(limits.logBytes, (text) => onEvent?.({ type: 'log', text }));
    this.output = new OutputCollector(limits.outputBytes);
    this.ai = new AiFrameHandler(session);
    this.parser = new FrameParser({
      onFrame: (frame) => this.onFrame(frame),
      onStray: (bytes) => this.logs.push(bytes),
      onOversize: (kind, length) => this.onOversize(kind, length),
    }, payloadCap(limits.outputBytes));
  }

  readonly handlers: GuestHandlers = {
    onStdout: (bytes, memoryBytes) => {
      if (memoryBytes !== undefined) this.memoryBytes = Math.max(this.memoryBytes ?? 0, memoryBytes);
      this.parser.push(bytes);
    },
    onStderr: (bytes) => this.logs.push(bytes),
    onExit: (exit) => this.onExit(exit),
  };

  start(guest: Guest, job: GuestJob): void {
    this.guest = guest;
    guest.write(encodeFrame('run', encodeJob(job)));
  }

  /** Ends the run from the host's side (timeout, cancel, a limit): the guest is killed at once. */
  fail(code: ErrorCode, message: string): void {
    if (this.settled) return; // a settled run's guest has reported; expectExit() stops it if it lingers
    this.finish(plainErrorInfo(code, message));
    this.guest?.kill();
  }

  private onFrame(frame: Frame): void {
    if (this.settled) return;
    if (REQUEST_KINDS.has(frame.kind)) {
      // After `done` nothing is waiting for an answer: a request then is a plugin probing the channel.
      if (this.reportedDone) return this.fail('PROTOCOL_ERROR', `The plugin sent a "${frame.kind}" request after it reported that it was done`);
      return void this.onRequest(frame);
    }
    switch (frame.kind) {
      case 'out':
        return this.onOutput(frame.payload);
      case 'done':
        if (this.unanswered) return this.fail('PROTOCOL_ERROR', `The plugin reported that it was done before reading the answer to its "${this.unanswered}" request`);
        // Not the end yet: anything the guest does before it leaves (an error report, a crash,
        // a forged `done` followed by more work) still decides the run.
        this.reportedDone = true;
        return this.expectExit();
      case 'error':
        return this.onGuestError(frame.payload);
      case 'ready':
        return; // sent once before the job; repeating it means nothing
      default:
        return this.fail('PROTOCOL_ERROR', `The plugin sent an unknown frame "${frame.kind}"`);
    }
  }

  private onOutput(payload: Uint8Array): void {
    if (!this.output.push(payload)) {
      return this.fail('OUTPUT_LIMIT', `The plugin's output passed the ${formatBytes(this.limits.outputBytes)} limit`);
    }
    this.onEvent?.({ type: 'output', text: new TextDecoder().decode(payload) });
  }

  private async onRequest(frame: Frame): Promise<void> {
    const payload = parseJson(frame.payload);
    if (payload === undefined) return this.fail('PROTOCOL_ERROR', `The plugin sent a malformed "${frame.kind}" request`);
    this.unanswered = frame.kind;
    const reply = await this.ai.handle(frame.kind, payload);
    this.unanswered = undefined;
    // A guest that has left gets no answer (the engine drops writes to a finished guest too).
    if (!this.settled && !this.exited) this.guest?.write(encodeJsonFrame(reply.kind, reply.value));
  }

  private onGuestError(payload: Uint8Array): void {
    const parsed = guestErrorSchema.safeParse(parseJson(payload));
    if (!parsed.success) return this.fail('PROTOCOL_ERROR', 'The plugin sent a malformed error report');
    const { code, ...rest } = parsed.data;
    const allowed = GUEST_CODES.has(code as ErrorCode) || this.ai.issuedCodes.has(code as ErrorCode);
    // The guest's words, but the details only as the host issued them (a guest cannot forge those).
    const issued = allowed ? this.ai.issuedErrors.get(code as ErrorCode) : undefined;
    const details = issued && 'details' in issued ? { details: issued.details } : {};
    const words = reraised(issued, rest.message) ?? { message: code === 'MEMORY_LIMIT' ? this.outOfMemory(rest.message) : rest.message };
    this.finish({ ...plainErrorInfo(allowed ? (code as ErrorCode) : 'PLUGIN_ERROR', words.message, { ...rest, ...words }), ...details } as ErrorInfo);
    this.expectExit();
  }

  /** The guest names Python's exception; people need the limit it ran into, in the words a memory exit uses. */
  private outOfMemory(guestMessage: string): string {
    const exception = /\((\w+Error)\)$/.exec(guestMessage)?.[1];
    return `The plugin used more than ${formatBytes(this.limits.memoryBytes)} of memory${exception ? ` (${exception})` : ''}`;
  }

  /** After its report the guest must leave soon; one that stays is stopped (and cannot succeed). */
  private expectExit(): void {
    if (this.exited || this.exitWatch) return;
    this.exitWatch = setTimeout(() => {
      // One turn of the event loop first: an exit the engine already posted is read before judging.
      setImmediate(() => {
        if (this.exited) return;
        // After `done` the run is still open: this decides it, and fail() stops the guest. After an
        // error report the run has settled and its report stands; the guest is only stopped.
        if (this.settled) this.guest?.kill();
        else this.fail('PLUGIN_ERROR', 'The plugin kept running after it reported that it was done');
      });
    }, this.guest?.exitAfterReportMs ?? EXIT_AFTER_REPORT_MS);
    this.exitWatch.unref();
  }

  private onOversize(kind: string, length: number): void {
    if (kind === 'out') this.fail('OUTPUT_LIMIT', `The plugin's output passed the ${formatBytes(this.limits.outputBytes)} limit`);
    else if (REQUEST_KINDS.has(kind)) this.fail('PROMPT_TOO_LONG', `The plugin's AI request is ${formatBytes(length)}; a request may be at most ${formatBytes(MAX_REQUEST_BYTES)}`);
    else this.fail('PROTOCOL_ERROR', `The plugin sent a ${formatBytes(length)} "${kind}" frame`);
  }

  private onExit(exit: GuestExit): void {
    this.exited = true;
    clearTimeout(this.exitWatch);
    if (exit.memoryBytes !== undefined) this.memoryBytes = Math.max(this.memoryBytes ?? 0, exit.memoryBytes);
    this.parser.end();
    if (this.settled) return;
    if (exit.leftInputUnread) return this.finish({ code: 'PROTOCOL_ERROR', message: 'The plugin ended without reading the answer to its request' });
    const clean = exit.reason === 'exited' && (exit.exitCode ?? 0) === 0;
    this.finish(this.reportedDone && clean ? null : exitError(exit, this.limits));
  }

  private finish(error: ErrorInfo | null): void {
    if (this.settled) return;
    this.settled = true;
    const output = this.output.finish();
    if (output.lossy) this.logs.note('the output was not valid UTF-8; invalid bytes were replaced with U+FFFD');
    this.settle({ error, output: output.text, logs: this.logs.finish(), memoryBytes: this.memoryBytes });
  }
}

/**
 * A host-issued AI error the plugin let through arrives as "ModelNotAllowedError: <the host's
 * message>": the run says the host's words once, with the host's hint (the code already names the kind).
 */
function reraised(issued: ErrorInfo | undefined, guestMessage: string): { message: string; hint?: string } | undefined {
  if (!issued || !/^\w+Error: /.test(guestMessage) || guestMessage.slice(guestMessage.indexOf(': ') + 2) !== issued.message) return undefined;
  return { message: issued.message, ...(issued.hint ? { hint: issued.hint } : {}) };
}

/** What an exit means when the guest ended before reporting done or error. */
export function exitError(exit: GuestExit, limits: SandboxLimits): ErrorInfo {
  const nearMemoryCap = (exit.memoryBytes ?? 0) >= limits.memoryBytes - 4 * 1024 * 1024;
  switch (exit.reason) {
    case 'memory':
      return { code: 'MEMORY_LIMIT', message: `The plugin used more than ${formatBytes(limits.memoryBytes)} of memory` };
    case 'flood':
      return { code: 'OUTPUT_LIMIT', message: exit.message ?? 'The plugin wrote too much' };
    case 'protocol':
      return { code: 'PROTOCOL_ERROR', message: exit.message ?? 'The plugin broke the bridge protocol' };
    case 'crashed':
      return { code: 'ENGINE_CRASHED', message: `The sandbox engine crashed (${exit.message ?? 'unknown reason'}); it has been restarted` };
    case 'killed':
      return { code: 'CANCELLED', message: 'The sandbox was stopped' };
    case 'timeout':
      return { code: 'TIMEOUT', message: exit.message ?? `The plugin ran longer than ${limits.wallTimeMs / 1000} s` };
    case 'trap':
      if (nearMemoryCap) return { code: 'MEMORY_LIMIT', message: `The plugin used more than ${formatBytes(limits.memoryBytes)} of memory` };
      // V8 says "RuntimeError: unreachable": the fault's name is the one thing worth saying.
      return { code: 'PLUGIN_ERROR', message: `The Python interpreter crashed (WebAssembly fault: ${(exit.message ?? 'trap').replace(/^RuntimeError: /, '')})` };
    case 'exited':
      if (nearMemoryCap && exit.exitCode !== 0) {
        return { code: 'MEMORY_LIMIT', message: `The plugin used more than ${formatBytes(limits.memoryBytes)} of memory` };
      }
      return { code: 'PLUGIN_ERROR', message: `The plugin ended the interpreter (exit status ${exit.exitCode ?? '?'}) before finishing` };
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}
