import { z } from 'zod';
import type { AotStatus } from '../shared/api/schemas/system.ts';
import type { EngineName } from '../shared/run.ts';

/**
 * What an engine needs to start a guest (CPython with the runner, waiting for its job). One schema,
 * so an engine that checks its spec (WasmEdge builds a command line from it) checks this one.
 */
export const guestSpecSchema = z.object({
  /** Linear-memory cap in 64 KiB pages. */
  memoryPages: z.number().int().min(1).max(65_536),
  /** The engine may drop stderr past this many bytes (the bridge marks the cut). */
  logBytes: z.number().int().nonnegative(),
  /** The engine may kill a guest whose stdout runs far past this many bytes (see StdoutBudget). */
  outputBytes: z.number().int().nonnegative(),
  /** Wall-clock cap; engines with their own timer (WasmEdge --time-limit) use it as a backstop. */
  wallTimeMs: z.number().positive().max(24 * 60 * 60 * 1000),
});
export type GuestSpec = z.infer<typeof guestSpecSchema>;

export type GuestExitReason =
  | 'exited'   // the guest's process/instance ended by itself (proc_exit or return from _start)
  | 'trap'     // WebAssembly trap (stack overflow, unreachable, out-of-bounds)
  | 'memory'   // the engine saw the memory cap hit (e.g. WasmEdge "Memory grow page failed")
  | 'flood'    // the engine stopped a guest that wrote far past its output cap
  | 'protocol' // the engine stopped a guest that broke the bridge protocol (a request before the last answer)
  | 'timeout'  // the engine's own clock stopped the guest (WasmEdge --time-limit, a backstop timer)
  | 'killed'   // kill() was called
  | 'crashed'; // the engine itself died (worker/process gone)

export interface GuestExit {
  reason: GuestExitReason;
  exitCode?: number;
  message?: string;
  /** Linear memory at exit, when known. */
  memoryBytes?: number;
  /** The guest left without reading all the host wrote to it (an answer it asked for), when the engine can tell. */
  leftInputUnread?: boolean;
}

export interface GuestHandlers {
  /** `memoryBytes`: the guest's linear memory at that moment, when the engine knows it. */
  onStdout(bytes: Uint8Array, memoryBytes?: number): void;
  onStderr(bytes: Uint8Array): void;
  onExit(exit: GuestExit): void;
}

/** One started guest, used for exactly one run. */
export interface Guest {
  /** Appends bytes to the guest's stdin. */
  write(bytes: Uint8Array): void;
  /** Ends the guest at once; idempotent. onExit follows with reason 'killed'. */
  kill(): void;
  /** Settles when the guest's thread or process is really gone (after kill or exit), when the engine can tell. */
  readonly gone?: Promise<void>;
  /**
   * How long the guest may take to leave after its last frame before it counts as a plugin that
   * kept running (the bridge's default: 1 s). A slow engine needs longer: the runner imports what
   * an error report needs only when a run fails (WasmEdge's interpreter: ~3.4 s for traceback).
   */
  readonly exitAfterReportMs?: number;
}

export type EngineStatus = { available: true; version?: string; detail?: string; aot?: AotStatus } | { available: false; reason: string };

export interface Engine {
  readonly name: EngineName;
  status(): Promise<EngineStatus>;
  /**
   * Hands out a guest whose runner is up and waiting for its `run` frame (from the warm pool when
   * one with the same spec is ready). Output produced before acquire is the engine's business.
   */
  acquire(spec: GuestSpec, handlers: GuestHandlers, signal?: AbortSignal): Promise<Guest>;
  /** Starts guests ahead so that the next acquire does not pay interpreter start-up. */
  prewarm?(spec: GuestSpec): void;
  /** Settles once a warm guest is waiting (engines without a pool settle at once). */
  whenWarm?(spec: GuestSpec): Promise<void>;
  /**
   * Starts whatever makes later runs fast (WasmEdge: the AOT compile, in the background, retrying
   * a recorded failure) and returns the status at once; status() follows the progress.
   */
  prepare?(): Promise<EngineStatus>;
  close(): Promise<void>;
}
