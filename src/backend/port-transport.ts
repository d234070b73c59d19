import type { IpcPeer, IpcServerTransport } from '../ipc/transport.ts';
import { RELAYED_PEER_ORIGIN, type PortLike } from './protocol.ts';

/**
 * The IPC router's transport in the backend process: one MessagePort per document, handed over
 * by main. A port that closes (its window closed, reloaded or crashed, or main went away) is a
 * peer gone: the router cancels its calls.
 */
export class PortTransport implements IpcServerTransport {
  private readonly messageListeners: Array<(peer: IpcPeer, message: unknown) => void> = [];
  private readonly goneListeners: Array<(peerId: string) => void> = [];
  private readonly ports = new Map<string, PortLike>();

  onMessage(listener: (peer: IpcPeer, message: unknown) => void): void {
    this.messageListeners.push(listener);
  }

  onPeerGone(listener: (peerId: string) => void): void {
    this.goneListeners.push(listener);
  }

  /** How many documents are connected (for tests). */
  get connected(): number {
    return this.ports.size;
  }

  connect(peerId: string, port: PortLike): void {
    this.ports.get(peerId)?.close();
    this.ports.set(peerId, port);
    let open = true;
    const peer: IpcPeer = {
      id: peerId,
      url: RELAYED_PEER_ORIGIN,
      isMainFrame: true,
      send: (reply) => {
        if (open) port.postMessage(reply);
      },
    };
    port.on('message', (event) => this.messageListeners.forEach((listener) => listener(peer, event.data)));
    port.on('close', () => {
      open = false;
      if (this.ports.get(peerId) === port) this.ports.delete(peerId);
      this.goneListeners.forEach((listener) => listener(peerId));
    });
    port.start();
  }
}
