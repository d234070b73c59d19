import { z } from 'zod';

/**
 * What the desktop app's main process and its backend process (an Electron utilityProcess running
 * src/backend/index.ts) say to each other on the parent port. The API itself never travels here:
 * each document of a window gets a MessagePort of its own (`connect`), and the IPC contract's
 * messages (src/shared/api/wire.ts) go through it unchanged, both ways.
 */
export const startMessageSchema = z.object({
  type: z.literal('start'),
  /** The data folder (Electron's userData). */
  home: z.string().min(1),
  ai: z.enum(['ollama', 'test']),
  /** Counts the backends started by this main process: 1, then 2 after the first restart, … */
  generation: z.number().int().positive(),
});

export const toBackendSchema = z.discriminatedUnion('type', [
  startMessageSchema,
  /** A new document's port (the port itself travels as the message's transferred port). */
  z.object({ type: z.literal('connect'), peer: z.string().max(100) }),
  /** Quitting: close the API (databases, sandbox threads), answer `closed`, then exit. */
  z.object({ type: z.literal('shutdown') }),
]);
export type ToBackend = z.infer<typeof toBackendSchema>;

export const fromBackendSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), generation: z.number().int(), logFile: z.string() }),
  /** The API could not be created (the data folder is unusable, …): main shows it and quits. */
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('closed') }),
]);
export type FromBackend = z.infer<typeof fromBackendSchema>;

/**
 * Main checks the sender of every message (top frame, the app's origin) before relaying it: only
 * it can see the frame. The backend's router then sees every port as this already-checked origin.
 */
export const RELAYED_PEER_ORIGIN = 'app://wasmforge';

/** Electron's MessagePortMain as far as both sides use it (the tests' stand-in has the same shape). */
export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** process.parentPort in a utility process. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): unknown;
  postMessage(message: FromBackend): void;
}
