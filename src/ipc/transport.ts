import type { IpcReply } from '../shared/api/wire.ts';

/** One renderer frame that sent us a message, as the transport saw it. */
export interface IpcPeer {
  /** Stable per renderer (e.g. Electron's webContents id). */
  readonly id: string;
  /** The URL of the frame that sent the message, and whether it is the top frame. */
  readonly url: string;
  readonly isMainFrame: boolean;
  send(reply: IpcReply): void;
}

/** The server side of an IPC channel: Electron's ipcMain in the app, an in-memory pair in tests. */
export interface IpcServerTransport {
  onMessage(listener: (peer: IpcPeer, message: unknown) => void): void;
  /** A renderer went away (closed, reloaded, crashed): its calls are cancelled. */
  onPeerGone(listener: (peerId: string) => void): void;
}
