import type { MessagePort } from 'node:worker_threads';
import type { GuestExitReason, GuestSpec } from '../engine.ts';

/** The typed protocol between the embedded engine (host) and its worker threads. */
/** What a worker holds its guests to: the engine's GuestSpec less the wall time, which the host's clock keeps (limitsOf in engine.ts). */
export type GuestLimits = Omit<GuestSpec, 'wallTimeMs'>;

/**
 * How to start the interpreter whose memory becomes a worker's image: the module given has no
 * data section (see snapshot-module.ts), so its segments are written into memory by the worker.
 */
export interface GuestImage {
  /** Each active data segment: its address in memory, and where its bytes are in `data`. */
  segments: Array<{ offset: number; start: number; length: number }>;
  data: SharedArrayBuffer;
  /** The memory's initial size, in 64 KiB pages. */
  pages: number;
}

export interface WorkerInit {
  module: WebAssembly.Module;
  /** Set when `module` can resume a memory image; without it every guest starts afresh. */
  image?: GuestImage;
  argv: string[];
  /** The line CPython's prompt loop reads first: it makes the guest serve its run. */
  serveStatement: string;
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
  /** A memory image was taken (or could not be, and guests start afresh): for status and the bench. */
  | { type: 'image'; taken: boolean; ms: number; bytes?: number; reason?: string }
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
