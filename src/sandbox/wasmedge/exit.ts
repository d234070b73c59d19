import type { GuestExit } from '../engine.ts';

/** WasmEdge's own exit status when it aborts a run: a trap, or its time limit (128 + SIGABRT). */
export const WASMEDGE_ABORT_EXIT = 134;
const MAX_KEPT_LINES = 20;
const MAX_LINE_CHARS = 500;

/**
 * What WasmEdge said about a run on its own log lines. A guest can print look-alike lines to fd 1,
 * so nothing here is trusted to widen what a guest may do: it only picks the wording and the
 * reason among outcomes that are failures anyway.
 */
export class EngineDiagnostics {
  readonly lines: string[] = [];
  memoryGrowFailed = false;
  /** The first "execution failed: …" or similar error text, the most useful one for a trap. */
  firstError?: string;

  add(line: string): void {
    const text = line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
    if (this.lines.length >= MAX_KEPT_LINES) this.lines.shift();
    this.lines.push(text);
    if (/memory grow page failed/i.test(line)) this.memoryGrowFailed = true;
    const error = /\] \[(?:error|critical)\] (.*)$/.exec(text);
    if (error && this.firstError === undefined) this.firstError = error[1]!.trim();
  }

  summary(): string {
    return this.lines.map((line) => line.replace(/^\[[^\]]*\] /, '')).join('\n');
  }
}

export interface ExitFacts {
  exitCode?: number;
  signal?: string;
  /** Set when the host ended the guest itself (kill(), wall-time backstop, output flood). */
  hostStop?: { reason: 'killed' | 'flood' | 'protocol' | 'timeout'; message: string };
  spawnError?: string;
  sawReady: boolean;
  /** Since the process was spawned: WasmEdge's --time-limit clock starts there, before _start. */
  elapsedMs: number;
  timeLimitMs: number;
  diagnostics: EngineDiagnostics;
}

/** Tolerance for "the time limit had elapsed": timers on a loaded machine fire a little early or late. */
const TIME_LIMIT_SLACK_MS = 250;

export function classifyExit(facts: ExitFacts): GuestExit {
  const { exitCode, diagnostics } = facts;
  if (facts.hostStop) return { reason: facts.hostStop.reason, exitCode, message: facts.hostStop.message };
  if (facts.spawnError !== undefined) return { reason: 'crashed', message: `wasmedge could not start: ${facts.spawnError}` };
  if (facts.signal) {
    return { reason: 'crashed', message: withDetail(`wasmedge died from ${facts.signal}`, diagnostics) };
  }
  if (diagnostics.memoryGrowFailed && exitCode !== 0) {
    return { reason: 'memory', exitCode, message: 'The guest hit its memory limit (WasmEdge: memory grow page failed)' };
  }
  if (exitCode === WASMEDGE_ABORT_EXIT && facts.elapsedMs + TIME_LIMIT_SLACK_MS >= facts.timeLimitMs) {
    return { reason: 'timeout', exitCode, message: `WasmEdge stopped the guest at its time limit (${facts.timeLimitMs} ms)` };
  }
  if (!facts.sawReady && exitCode !== 0) {
    return { reason: 'crashed', exitCode, message: withDetail(`wasmedge exited with status ${exitCode ?? '?'} before the guest was ready`, diagnostics) };
  }
  if (exitCode === WASMEDGE_ABORT_EXIT && diagnostics.firstError !== undefined) {
    return { reason: 'trap', exitCode, message: `WebAssembly trap: ${diagnostics.firstError}` };
  }
  return { reason: 'exited', exitCode };
}

function withDetail(message: string, diagnostics: EngineDiagnostics): string {
  const detail = diagnostics.summary();
  return detail ? `${message}: ${detail}` : message;
}
