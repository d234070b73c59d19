import { z } from 'zod';
import type { Dispatcher, Envelope } from '../shared/api/types.ts';
import { MAX_CALLS_IN_FLIGHT, tooManyCalls } from '../shared/api/wire.ts';
import { isTrustedSender } from './sender.ts';
import type { IpcPeer, IpcServerTransport } from './transport.ts';

const requestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), id: z.number().int().nonnegative(), route: z.string().max(100), input: z.unknown() }),
  z.object({ kind: z.literal('cancel'), id: z.number().int().nonnegative() }),
]);

export interface IpcRouterOptions {
  /** Origins (or file URLs) of the app's own page; messages from anywhere else are dropped. */
  allowedSenders: readonly string[];
  log?: (message: string) => void;
  /** Most calls one renderer may have in flight; beyond it new calls are refused, not queued. */
  maxInFlight?: number;
}

/**
 * Serves the API over an IPC transport: every message is checked (sender, then shape) at this
 * one point, calls go to the dispatcher, stream events and the final envelope go back keyed by
 * the caller's id. A renderer that goes away has its calls cancelled.
 */
export class IpcRouter {
  private readonly inFlight = new Map<string, Map<number, AbortController>>();
  private readonly log: (message: string) => void;

  constructor(private readonly dispatcher: Dispatcher, transport: IpcServerTransport, private readonly options: IpcRouterOptions) {
    this.log = options.log ?? (() => undefined);
    transport.onMessage((peer, message) => this.receive(peer, message));
    transport.onPeerGone((peerId) => this.cancelAll(peerId));
  }

  /** How many calls are under way (for tests and shutdown). */
  get pending(): number {
    let count = 0;
    for (const calls of this.inFlight.values()) count += calls.size;
    return count;
  }

  cancelAll(peerId?: string): void {
    for (const [id, calls] of this.inFlight) {
      if (peerId !== undefined && id !== peerId) continue;
      for (const controller of calls.values()) controller.abort();
    }
  }

  private receive(peer: IpcPeer, raw: unknown): void {
    if (!isTrustedSender(peer, this.options.allowedSenders)) {
      this.log(`dropped an IPC message from an untrusted frame (${peer.url.slice(0, 200)})`);
      return;
    }
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) {
      this.log('dropped a malformed IPC message');
      return;
    }
    const message = parsed.data;
    if (message.kind === 'cancel') this.callsOf(peer.id).get(message.id)?.abort();
    else void this.call(peer, message.id, message.route, message.input);
  }

  private async call(peer: IpcPeer, id: number, route: string, input: unknown): Promise<void> {
    const calls = this.callsOf(peer.id);
    if (calls.has(id)) return;
    const limit = this.options.maxInFlight ?? MAX_CALLS_IN_FLIGHT;
    if (calls.size >= limit) {
      peer.send({ kind: 'end', id, envelope: { ok: false, error: tooManyCalls(limit) } });
      return;
    }
    const controller = new AbortController();
    calls.set(id, controller);
    let envelope: Envelope;
    try {
      envelope = await this.dispatcher.dispatch(route, input, {
        signal: controller.signal,
        emit: (event) => peer.send({ kind: 'event', id, event }),
      });
    } finally {
      calls.delete(id);
      if (calls.size === 0) this.inFlight.delete(peer.id);
    }
    peer.send({ kind: 'end', id, envelope });
  }

  private callsOf(peerId: string): Map<number, AbortController> {
    let calls = this.inFlight.get(peerId);
    if (!calls) this.inFlight.set(peerId, (calls = new Map()));
    return calls;
  }
}
