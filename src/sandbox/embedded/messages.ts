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
  /**
   * Each active data segment as three Uint32 in a row: its address in memory, where its bytes start
   * in `data`, and its length. Shared, like `data`: 24,000 segments as objects would be cloned into
   * every worker (6 MB each).
   */
  segments: SharedArrayBuffer;
  data: SharedArrayBuffer;
  /** The memory's initial size, in 64 KiB pages. */
  pages: number;
}

/**
 * A memory image that every worker of an engine resumes from: its bytes are written once, by the
 * worker that took it (or read from the disk cache), and shared, not copied, by all.
 */
export interface SharedImage {
  bytes: SharedArrayBuffer;
  stackPointer: number;
  /** Where Asyncify saved the stack it unwound: resuming rewinds from there. */
  asyncifyData: number;
  /** Date.now() when it was taken: an image is renewed after a while (each freezes one string-hash seed). */
  takenAt: number;
  /** A worker of this process resumed it once as a trial: the others skip theirs (one from disk is not, until then). */
  checked: boolean;
}

export interface WorkerInit {
  module: WebAssembly.Module;
  /** Set when `module` can resume a memory image; without it every guest starts afresh. */
  image?: GuestImage;
  /** An image to resume from (checked once by a trial resume); without it the worker takes its own. */
  snapshot?: SharedImage;
  /** Another worker is taking the engine's image: wait for a `snapshot` message rather than take one too. */
  awaitSnapshot?: boolean;
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
  | { type: 'respec'; limits: GuestLimits; specId: number }
  /** The engine's newest image, for the next guest; none: take your own (the one awaited was not taken). */
  | { type: 'snapshot'; image?: SharedImage };

export type WorkerToHost =
  | { type: 'ready'; gen: number; specId: number }
  /** A memory image was taken (or could not be, and guests start afresh): for status and the bench. */
  /**
   * `image`: one this worker took, for the engine to share; `shared`: it resumes from the engine's
   * instead, after a trial resume of its own when `tried` (an image from disk no worker had tried).
   */
  | { type: 'image'; taken: boolean; ms: number; bytes?: number; reason?: string; image?: SharedImage; shared?: boolean; tried?: boolean }
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
