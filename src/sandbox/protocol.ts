/**
 * The bridge protocol between host and guest, over the guest's stdin and stdout.
 *
 * A frame is `\x1eWF:<kind>:<length>\n` followed by exactly <length> payload bytes. The SDK sends
 * print() and stderr to fd 2, so fd 1 carries only frames. Bytes on fd 1 outside a frame (a plugin
 * writing to fd 1 itself, or WasmEdge's own log lines) are never taken as a frame: they become log
 * text. Every frame from the guest is hostile: the host checks kind, size and content, and enforces
 * every limit itself, so a forged frame can do nothing the SDK could not.
 */
const MAGIC = '\x1eWF:';
const MAGIC_BYTES = new TextEncoder().encode(MAGIC);
const MAX_HEADER_BYTES = 64;
const encoder = new TextEncoder();

export type FrameKind = string;
export interface Frame {
  kind: FrameKind;
  payload: Uint8Array;
}

export function encodeFrame(kind: FrameKind, payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const header = encoder.encode(`${MAGIC}${kind}:${body.length}\n`);
  const frame = new Uint8Array(header.length + body.length);
  frame.set(header);
  frame.set(body, header.length);
  return frame;
}

export function encodeJsonFrame(kind: FrameKind, value: unknown): Uint8Array {
  return encodeFrame(kind, JSON.stringify(value));
}

export interface FrameParserEvents {
  onFrame(frame: Frame): void;
  /** Bytes outside any frame. */
  onStray(bytes: Uint8Array): void;
  /** A frame header claimed more than maxPayloadBytes: the stream is not trustworthy any more. */
  onOversize(kind: string, length: number): void;
}

/** Incremental parser for a byte stream that mixes frames and stray bytes. */
export class FrameParser {
  private buffer: Uint8Array = new Uint8Array(0);
  private pending?: { kind: string; length: number };
  private failed = false;

  constructor(private readonly events: FrameParserEvents, private readonly maxPayloadBytes: number) {}

  push(chunk: Uint8Array): void {
    if (this.failed) return;
    this.buffer = this.buffer.length ? concat(this.buffer, chunk) : chunk;
    while (this.step()) { /* keep parsing */ }
  }

  /** Flushes what is left as stray bytes (at exit, an unfinished frame is only noise). */
  end(): void {
    if (this.buffer.length && !this.failed) this.events.onStray(this.buffer);
    this.buffer = new Uint8Array(0);
  }

  private step(): boolean {
    if (this.pending) return this.takePayload(this.pending);
    const start = indexOf(this.buffer, MAGIC_BYTES);
    if (start < 0) {
      // Keep a tail that could be the beginning of a magic marker split across chunks.
      const keep = partialMagicSuffix(this.buffer);
      if (this.buffer.length > keep) this.events.onStray(this.buffer.subarray(0, this.buffer.length - keep));
      this.buffer = this.buffer.slice(this.buffer.length - keep);
      return false;
    }
    if (start > 0) {
      this.events.onStray(this.buffer.subarray(0, start));
      this.buffer = this.buffer.subarray(start);
    }
    const newline = this.buffer.indexOf(10);
    if (newline < 0) {
      if (this.buffer.length > MAX_HEADER_BYTES) return this.rejectHeader();
      return false;
    }
    const header = new TextDecoder().decode(this.buffer.subarray(MAGIC_BYTES.length, newline));
    const match = /^([a-z_]{1,24}):(\d{1,10})$/.exec(header);
    if (newline > MAX_HEADER_BYTES || !match) return this.rejectHeader();
    const kind = match[1]!;
    const length = Number(match[2]);
    if (length > this.maxPayloadBytes) {
      this.failed = true;
      this.events.onOversize(kind, length);
      return false;
    }
    this.buffer = this.buffer.subarray(newline + 1);
    this.pending = { kind, length };
    return true;
  }

  private takePayload(pending: { kind: string; length: number }): boolean {
    if (this.buffer.length < pending.length) return false;
    const payload = this.buffer.slice(0, pending.length);
    this.buffer = this.buffer.subarray(pending.length);
    this.pending = undefined;
    this.events.onFrame({ kind: pending.kind, payload });
    return true;
  }

  /** Not a valid header: the marker byte is stray text; continue after it. */
  private rejectHeader(): boolean {
    this.events.onStray(this.buffer.subarray(0, 1));
    this.buffer = this.buffer.subarray(1);
    return true;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  for (let at = haystack.indexOf(needle[0]!); at >= 0 && at + needle.length <= haystack.length; at = haystack.indexOf(needle[0]!, at + 1)) {
    if (needle.every((byte, i) => haystack[at + i] === byte)) return at;
  }
  return -1;
}

function partialMagicSuffix(buffer: Uint8Array): number {
  for (let keep = Math.min(MAGIC_BYTES.length - 1, buffer.length); keep > 0; keep--) {
    const tail = buffer.subarray(buffer.length - keep);
    if (MAGIC_BYTES.subarray(0, keep).every((byte, i) => tail[i] === byte)) return keep;
  }
  return 0;
}
