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
const HEADER_PATTERN = /^([a-z_]{1,24}):(\d{1,10})$/;
const encoder = new TextEncoder();

const MiB = 1024 * 1024;
/** The largest request (`ai`, `models`) payload the host reads; a bigger one is PROMPT_TOO_LONG. */
export const MAX_REQUEST_BYTES = 8 * MiB;
/**
 * The largest `error` report the host reads. The bridge accepts a 64 KiB message and a 512 KiB
 * traceback; even written as JSON's longest escapes (6 bytes a character) that fits in 4 MiB.
 */
export const MAX_ERROR_REPORT_BYTES = 4 * MiB;
/** `ready` and `done` are empty, and any other kind is refused whole: a little slack, no more. */
const MAX_OTHER_FRAME_BYTES = 64 * 1024;
/** Frames the host answers with exactly one frame on the guest's stdin. */
export const REQUEST_KINDS: ReadonlySet<string> = new Set(['ai', 'models', 'tz']);

export type FrameKind = string;
/** The largest payload a frame of this kind may claim; a header claiming more ends the stream. */
export type PayloadCap = (kind: FrameKind) => number;

/**
 * Each kind of frame has its own cap in a run with this output limit: output frames the output
 * limit (one frame past it is OUTPUT_LIMIT anyway), requests MAX_REQUEST_BYTES whatever the output
 * limit, so the host never buffers more than it will use.
 */
export function payloadCap(outputBytes: number): PayloadCap {
  return (kind) => {
    if (kind === 'out') return outputBytes;
    if (REQUEST_KINDS.has(kind)) return MAX_REQUEST_BYTES;
    if (kind === 'error') return MAX_ERROR_REPORT_BYTES;
    return MAX_OTHER_FRAME_BYTES;
  };
}
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

export interface FrameScanEvents {
  /** Bytes outside any frame. */
  onStray(bytes: Uint8Array): void;
  /** A valid header (`headerBytes` long) announced `length` payload bytes. */
  onFrameStart(kind: string, length: number, headerBytes: number): void;
  /** The next piece of the current payload: a view into the pushed chunk (copy it to keep it). */
  onPayload(bytes: Uint8Array): void;
  onFrameEnd(): void;
  /** A header claimed more than its kind's cap: the stream is not trustworthy any more. */
  onOversize(kind: string, length: number): void;
}

/**
 * Splits a byte stream into frames and stray bytes without holding payloads: only a header, or
 * the start of a marker split across chunks, is ever kept between pushes. Work is linear in the
 * bytes pushed, however a hostile guest cuts them.
 */
export class FrameScanner {
  private buffer: Uint8Array = new Uint8Array(0);
  private payloadLeft = 0;
  private inFrame = false;
  private failed = false;

  constructor(private readonly events: FrameScanEvents, private readonly maxPayload: PayloadCap) {}

  push(chunk: Uint8Array): void {
    if (this.failed) return;
    this.buffer = this.buffer.length ? concat(this.buffer, chunk) : chunk;
    while (this.buffer.length > 0 && this.step()) { /* keep scanning */ }
  }

  /** Flushes what is left as stray bytes (at exit, an unfinished header is only noise). */
  end(): void {
    if (this.buffer.length && !this.failed) this.events.onStray(this.buffer);
    this.buffer = new Uint8Array(0);
    this.inFrame = false;
  }

  private step(): boolean {
    if (this.inFrame) return this.passPayload();
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
    return this.readHeader();
  }

  private readHeader(): boolean {
    // Only the first MAX_HEADER_BYTES can hold the newline: a longer search would be quadratic.
    const newline = this.buffer.subarray(0, MAX_HEADER_BYTES + 1).indexOf(10);
    if (newline < 0) return this.buffer.length > MAX_HEADER_BYTES ? this.rejectHeader() : false;
    const match = HEADER_PATTERN.exec(new TextDecoder().decode(this.buffer.subarray(MAGIC_BYTES.length, newline)));
    if (!match) return this.rejectHeader();
    const kind = match[1]!;
    const length = Number(match[2]);
    if (length > this.maxPayload(kind)) {
      this.failed = true;
      this.buffer = new Uint8Array(0);
      this.events.onOversize(kind, length);
      return false;
    }
    this.buffer = this.buffer.subarray(newline + 1);
    this.events.onFrameStart(kind, length, newline + 1);
    this.payloadLeft = length;
    this.inFrame = true;
    if (length === 0) this.endFrame();
    return true;
  }

  private passPayload(): boolean {
    const take = Math.min(this.payloadLeft, this.buffer.length);
    this.events.onPayload(this.buffer.subarray(0, take));
    this.buffer = this.buffer.subarray(take);
    this.payloadLeft -= take;
    if (this.payloadLeft === 0) this.endFrame();
    return true;
  }

  private endFrame(): void {
    this.inFrame = false;
    this.events.onFrameEnd();
  }

  /** Not a valid header: the marker byte is stray text; continue after it. */
  private rejectHeader(): boolean {
    this.events.onStray(this.buffer.subarray(0, 1));
    this.buffer = this.buffer.subarray(1);
    return true;
  }
}

export interface FrameParserEvents {
  onFrame(frame: Frame): void;
  /** Bytes outside any frame. */
  onStray(bytes: Uint8Array): void;
  /** A frame header claimed more than its kind's cap: the stream is not trustworthy any more. */
  onOversize(kind: string, length: number): void;
}

/** Incremental parser for a byte stream that mixes frames and stray bytes: whole frames out. */
export class FrameParser {
  private readonly scanner: FrameScanner;
  private kind = '';
  private parts: Uint8Array[] = [];

  constructor(private readonly events: FrameParserEvents, maxPayload: PayloadCap) {
    this.scanner = new FrameScanner({
      onStray: (bytes) => events.onStray(bytes),
      onFrameStart: (kind) => {
        this.kind = kind;
        this.parts = [];
      },
      onPayload: (bytes) => this.parts.push(bytes),
      onFrameEnd: () => this.emitFrame(),
      onOversize: (kind, length) => events.onOversize(kind, length),
    }, maxPayload);
  }

  push(chunk: Uint8Array): void {
    this.scanner.push(chunk);
  }

  /** Flushes what is left as stray bytes (at exit, an unfinished frame is only noise). */
  end(): void {
    for (const part of this.parts) this.events.onStray(part);
    this.parts = [];
    this.scanner.end();
  }

  private emitFrame(): void {
    // One copy per frame: the pieces are views into chunks the caller owns.
    const payload = this.parts.length === 1 ? this.parts[0]!.slice() : concatAll(this.parts);
    this.parts = [];
    this.events.onFrame({ kind: this.kind, payload });
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  return concatAll([a, b]);
}

function concatAll(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
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
