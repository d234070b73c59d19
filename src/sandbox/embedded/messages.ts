import type { MessagePort } from 'node:worker_threads';
import type { GuestExitReason } from '../engine.ts';

/** The typed protocol between the embedded engine (host) and its worker threads. */
export interface GuestLimits {
  memoryPages: number;
  logBytes: number;
  outputBytes: number;
}

export interface WorkerInit {
  module: WebAssembly.Module;
  argv: string[];
  limits: GuestLimits;
  /** Bumped by every respec; a `ready` from an older spec is stale. */
  specId: number;
  /** Host→worker messages arrive here and are read synchronously (the guest blocks in wasm). */
  port: MessagePort;
  /** Int32 bumped by the host after each message, so a blocked worker wakes up. */
  wake: SharedArrayBuffer;
}

/**
 * Every message about a run names its guest's generation: a worker hosts guest after guest, and
 * bytes meant for one must never be read by the next (a guest may exit without reading its answer).
 */
export type HostToWorker =
  | { type: 'stdin'; gen: number; data: Uint8Array }
  | { type: 'respec'; limits: GuestLimits; specId: number };

export type WorkerToHost =
  | { type: 'ready'; gen: number; specId: number }
  | { type: 'stdout'; gen: number; data: Uint8Array; memoryBytes: number }
  | { type: 'stderr'; gen: number; data: Uint8Array }
  | {
    type: 'exit';
    gen: number;
    reason: GuestExitReason;
    exitCode?: number;
    message?: string;
    memoryBytes?: number;
    /** How many stdin messages the guest took in, and whether it left bytes of them unread. */
    stdinTaken: number;
    unreadStdin: boolean;
  };
