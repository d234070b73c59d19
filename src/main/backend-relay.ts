import { MessageChannelMain, type MessagePortMain } from 'electron';
import { isTrustedSender } from '../ipc/sender.ts';
import type { IpcPeer, IpcServerTransport } from '../ipc/transport.ts';
import type { IpcNotice, IpcReply } from '../shared/api/wire.ts';

/** The part of BackendHost the relay needs. */
export interface BackendPorts {
  connect(peer: string, port: MessagePortMain): boolean;
}

export interface BackendRelayOptions {
  /** Origins of the app's own page; messages from any other frame are dropped here, before the backend. */
  allowedSenders: readonly string[];
  log: (message: string) => void;
  /** Messages for the shell itself ({ kind: 'shell' }), from a trusted frame, still unchecked. */
  onShell: (peer: IpcPeer, message: unknown) => void;
}

interface Link {
  peer: IpcPeer;
  port: MessagePortMain;
  /** Calls sent and not yet ended, so a backend that dies under them can end them. */
  inFlight: Set<number>;
}

/**
 * Main's half of the API: every message a trusted window sends goes, unchanged, through that
 * document's MessagePort to the backend process, and every message back (a call's events and end,
 * a broadcast on a watch) goes to the window unchanged. Nothing is read but the call ids, so a new
 * route or message kind needs nothing here. When the backend dies, the calls under way end with
 * BACKEND_RESTARTED and every window is told (a notice), instead of waiting forever.
 */
export class BackendRelay {
  private readonly links = new Map<string, Link>();

  constructor(private readonly backend: BackendPorts, transport: IpcServerTransport, private readonly options: BackendRelayOptions) {
    transport.onMessage((peer, message) => this.receive(peer, message));
    transport.onPeerGone((peerId) => this.disconnect(peerId));
  }

  /** Calls under way across windows (for tests). */
  get pending(): number {
    let count = 0;
    for (const link of this.links.values()) count += link.inFlight.size;
    return count;
  }

  /** The backend died: end what was under way in it, drop its ports, tell every window. */
  /** Tells every connected window something that is not an answer to a call (a link to open). */
  notify(notice: Extract<IpcNotice, { notice: 'open-plugin' }>): void {
    for (const link of this.links.values()) link.peer.send(notice);
  }

  backendGone(notice: Omit<Extract<IpcNotice, { generation: number }>, 'kind'>): void {
    const links = [...this.links.values()];
    this.links.clear();
    const message = notice.notice === 'backend-restarted'
      ? 'The app’s backend stopped unexpectedly and was restarted; try again'
      : 'The app’s backend stopped unexpectedly and could not be restarted; restart WasmForge';
    for (const link of links) {
      for (const id of link.inFlight) link.peer.send({ kind: 'end', id, envelope: { ok: false, error: { code: 'BACKEND_RESTARTED', message } } });
      link.port.close();
      link.peer.send({ kind: 'notice', ...notice });
    }
  }

  private receive(peer: IpcPeer, raw: unknown): void {
    if (!isTrustedSender(peer, this.options.allowedSenders)) {
      this.options.log(`dropped an IPC message from an untrusted frame (${peer.url.slice(0, 200)})`);
      return;
    }
    const kind = typeof raw === 'object' && raw !== null ? (raw as { kind?: unknown }).kind : undefined;
    if (kind === 'shell') return this.options.onShell(peer, raw);
    const id = (raw as { id?: unknown } | null)?.id;
    if ((kind !== 'call' && kind !== 'cancel') || !Number.isSafeInteger(id)) {
      this.options.log('dropped a malformed IPC message');
      return;
    }
    const link = this.linkOf(peer);
    if (!link) {
      if (kind === 'call') peer.send({ kind: 'end', id: id as number, envelope: { ok: false, error: { code: 'BACKEND_RESTARTED', message: 'The app’s backend is not running; restart WasmForge' } } });
      return;
    }
    if (kind === 'call') link.inFlight.add(id as number);
    link.port.postMessage(raw);
  }

  private linkOf(peer: IpcPeer): Link | undefined {
    const existing = this.links.get(peer.id);
    if (existing) return existing;
    const { port1, port2 } = new MessageChannelMain();
    if (!this.backend.connect(peer.id, port2)) return undefined;
    const link: Link = { peer, port: port1, inFlight: new Set() };
    port1.on('message', (event) => this.fromBackend(link, event.data as IpcReply));
    port1.start();
    this.links.set(peer.id, link);
    return link;
  }

  private fromBackend(link: Link, reply: IpcReply): void {
    if (this.links.get(link.peer.id) !== link) return; // a port of a backend or a document that is gone
    if (reply.kind === 'end') link.inFlight.delete(reply.id);
    link.peer.send(reply);
  }

  /** The document went away (closed, reloaded, crashed): closing its port cancels its calls in the backend. */
  private disconnect(peerId: string): void {
    const link = this.links.get(peerId);
    if (!link) return;
    this.links.delete(peerId);
    link.port.close();
  }
}
