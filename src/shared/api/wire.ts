import type { ErrorInfo } from '../errors.ts';
import type { Envelope } from './types.ts';

/**
 * How calls travel. IPC: one channel each way, messages keyed by a call id. HTTP: a POST per call
 * (JSON envelope back), or per stream (server-sent events: `open`, then `event`s, then `end`).
 * A stream is cancelled by a message (IPC) or POST /api/cancel (HTTP) and still ends with its
 * envelope, so a cancelled run reports its result like any other.
 */
export const IPC_CHANNEL = 'wasmforge:api';

export type IpcRequest =
  | { kind: 'call'; id: number; route: string; input: unknown }
  | { kind: 'cancel'; id: number }
  | ShellRequest;

/**
 * Desktop only, for the Electron main process itself rather than the API (which runs in the
 * backend process): open the logs folder, and a renderer error for the log. Main validates them.
 */
export type ShellRequest =
  | { kind: 'shell'; action: 'open-logs-folder' }
  | { kind: 'shell'; action: 'report-error'; error: RendererError };

export const RENDERER_ERROR_SOURCES = ['error', 'unhandledrejection', 'render'] as const;
export interface RendererError {
  source: (typeof RENDERER_ERROR_SOURCES)[number];
  message: string;
  stack?: string;
}

export type IpcReply =
  | { kind: 'event'; id: number; event: unknown }
  | { kind: 'end'; id: number; envelope: Envelope }
  | IpcNotice;

/**
 * From the desktop shell to every window: the backend process died and another was started (its
 * calls then under way ended with BACKEND_RESTARTED), or it kept dying and was given up; or a
 * `wasmforge://plugin/…` link asks to show a plugin's page (never to install it).
 */
export type IpcNotice =
  | { kind: 'notice'; notice: 'backend-restarted' | 'backend-gone'; generation: number; logFile?: string }
  | { kind: 'notice'; notice: 'open-plugin'; name: string; version?: string };

/** What the preload exposes on `window.wasmforge`: a dumb pipe for the messages above, nothing else. */
export interface WasmForgeBridge {
  send(message: IpcRequest): void;
  onMessage(listener: (message: IpcReply) => void): () => void;
}

export const HTTP_API = {
  call: '/api/call/',
  stream: '/api/stream/',
  cancel: '/api/cancel',
  health: '/api/health',
} as const;

export type SseFrame = { event: 'open'; data: { callId: string } } | { event: 'event'; data: unknown } | { event: 'end'; data: Envelope };

/** The HTTP body limit for one call, above the largest input a run accepts. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * Calls a client may have under way at once: per window over IPC, per server over HTTP (its
 * clients share one token). A call past it is refused at once, never queued, so a runaway page
 * cannot pile up work or memory (an HTTP body may be 8 MiB).
 */
export const MAX_CALLS_IN_FLIGHT = 64;

export function tooManyCalls(limit: number): ErrorInfo {
  return { code: 'BUSY', message: `Too many requests at once: at most ${limit} calls may be under way; try again when one has finished` };
}
