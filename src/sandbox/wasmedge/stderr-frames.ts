/**
 * Under WasmEdge a plugin's os.close(1) really closes fd 1, which carries the frames. The SDK then
 * sends its frames on fd 2, each header marked with a mark the host gave this process on its
 * command line (`\x1eWF!<mark>:<kind>:<length>\n`): text the plugin prints (fd 2 too), an AI
 * answer or an input included, cannot pass for a frame unless the plugin writes the mark itself,
 * which it could as well do on fd 1. This takes those frames out of the stderr stream, rewritten
 * as ordinary frames (`\x1eWF:<kind>:<length>\n`), and passes every other byte on as text, in order.
 */
export interface StderrFrameEvents {
  /** Frame bytes (a header, then its payload, possibly in pieces), for the stdout path. */
  onFrameBytes(bytes: Uint8Array): void;
  onText(bytes: Uint8Array): void;
}

const MAX_HEADER_BYTES = 64; // kind, colon and length, as protocol.ts bounds them
const HEADER_REST = /^([a-z_]{1,32}):(\d{1,12})$/;
const encoder = new TextEncoder();

export class StderrFrames {
  private readonly prefix: Uint8Array;
  private pending: Uint8Array = new Uint8Array(0);
  private payloadLeft = 0;

  constructor(mark: string, private readonly events: StderrFrameEvents) {
    this.prefix = encoder.encode(`\x1eWF!${mark}:`);
  }

  push(chunk: Uint8Array): void {
    this.pending = this.pending.length ? concat(this.pending, chunk) : chunk;
    while (this.pending.length > 0 && this.step()) { /* keep going while progress is made */ }
  }

  /** End of stream: what is left is text (a header cut short never became a frame). */
  end(): void {
    if (this.pending.length && this.payloadLeft === 0) this.events.onText(this.pending);
    this.pending = new Uint8Array(0);
  }

  /** Handles what it can at the front of `pending`; false when it needs more bytes. */
  private step(): boolean {
    if (this.payloadLeft > 0) return this.passPayload();
    const at = indexOf(this.pending, this.prefix);
    if (at < 0) return this.passText();
    if (at > 0) {
      this.events.onText(this.pending.subarray(0, at));
      this.pending = this.pending.subarray(at);
    }
    return this.readHeader();
  }

  private passPayload(): boolean {
    const piece = this.pending.subarray(0, this.payloadLeft);
    this.payloadLeft -= piece.length;
    this.pending = this.pending.subarray(piece.length);
    this.events.onFrameBytes(piece);
    return true;
  }

  /** No mark in sight: all text, but a tail that may be the start of one waits for more bytes. */
  private passText(): boolean {
    const keep = partialPrefixLength(this.pending, this.prefix);
    const text = this.pending.subarray(0, this.pending.length - keep);
    if (text.length) this.events.onText(text);
    this.pending = this.pending.subarray(this.pending.length - keep);
    return false;
  }

  private readHeader(): boolean {
    const newline = this.pending.indexOf(0x0a, this.prefix.length);
    const rest = newline < 0 ? undefined : new TextDecoder().decode(this.pending.subarray(this.prefix.length, newline));
    const match = rest === undefined ? null : HEADER_REST.exec(rest);
    if (!match) {
      if (newline < 0 && this.pending.length < this.prefix.length + MAX_HEADER_BYTES) return false; // wait for the newline
      // Not a frame after all: its first byte is text, and the scan goes on after it.
      this.events.onText(this.pending.subarray(0, 1));
      this.pending = this.pending.subarray(1);
      return true;
    }
    this.events.onFrameBytes(encoder.encode(`\x1eWF:${match[1]}:${match[2]}\n`));
    this.payloadLeft = Number(match[2]);
    this.pending = this.pending.subarray(newline + 1);
    return true;
  }
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle);
}

/** How many bytes at the end of `bytes` are a proper start of `prefix`. */
function partialPrefixLength(bytes: Uint8Array, prefix: Uint8Array): number {
  for (let length = Math.min(prefix.length - 1, bytes.length); length > 0; length--) {
    let matches = true;
    for (let i = 0; i < length && matches; i++) matches = bytes[bytes.length - length + i] === prefix[i];
    if (matches) return length;
  }
  return 0;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
