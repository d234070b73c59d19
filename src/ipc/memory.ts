import type { IpcReply, IpcRequest, WasmForgeBridge } from '../shared/api/wire.ts';
import type { IpcPeer, IpcServerTransport } from './transport.ts';

export interface MemoryIpcPair {
  server: IpcServerTransport;
  /** What the preload would expose to the renderer. */
  bridge: WasmForgeBridge;
  /** Simulates the renderer going away (window closed, reloaded). */
  disconnect(): void;
}

/**
 * Stands in for Electron's IPC in tests: messages are structured-cloned (as Electron serializes
 * them) and delivered on a later tick, and the sender looks like the app's own top frame unless
 * told otherwise.
 */
export function createMemoryIpcPair(sender: { id?: string; url?: string; isMainFrame?: boolean } = {}): MemoryIpcPair {
  const serverListeners: Array<(peer: IpcPeer, message: unknown) => void> = [];
  const goneListeners: Array<(peerId: string) => void> = [];
  const clientListeners = new Set<(message: IpcReply) => void>();
  let connected = true;

  const peer: IpcPeer = {
    id: sender.id ?? 'renderer-1',
    url: sender.url ?? 'http://localhost:5173/',
    isMainFrame: sender.isMainFrame ?? true,
    send: (reply) => {
      if (!connected) return;
      const copy = structuredClone(reply);
      setImmediate(() => clientListeners.forEach((listener) => listener(copy)));
    },
  };

  return {
    server: {
      onMessage: (listener) => serverListeners.push(listener),
      onPeerGone: (listener) => goneListeners.push(listener),
    },
    bridge: {
      send: (message: IpcRequest) => {
        if (!connected) return;
        const copy = structuredClone(message);
        setImmediate(() => serverListeners.forEach((listener) => listener(peer, copy)));
      },
      onMessage: (listener) => {
        clientListeners.add(listener);
        return () => clientListeners.delete(listener);
      },
    },
    disconnect: () => {
      connected = false;
      goneListeners.forEach((listener) => listener(peer.id));
    },
  };
}
