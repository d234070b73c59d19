/**
 * WasmEdge writes its own log lines (`[2026-11-25 02:58:16.176] [error] …`) to the same stdout as
 * the guest. This splitter takes whole log lines out and passes every other byte on unchanged and
 * in order. It follows frame boundaries exactly as the bridge's FrameParser will see them, so a
 * frame payload is never touched, whatever text it holds: only a line that starts at the start of
 * the stream, after a newline outside a payload, or right after a frame can be taken out.
 */
const MAGIC = new TextEncoder().encode('\x1eWF:');
const RECORD_SEPARATOR = 0x1e;
const NEWLINE = 0x0a;
const MAX_HEADER_BYTES = 64; // as in protocol.ts: a longer header is not a frame
/** A candidate log line longer than this is guest text; WasmEdge's lines are short. */
const MAX_LOG_LINE_BYTES = 16 * 1024;

/**
 * spdlog's default pattern, as WasmEdge uses it: "[%Y-%m-%d %H:%M:%S.%e] [%l] %v" (the level may be
 * wrapped in colour escapes when spdlog thinks it writes to a terminal).
 */
const ESCAPE = '(?:\u001b\\[[0-9;]*m)?';
const LOG_LINE = new RegExp(`^\\[\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\] \\[${ESCAPE}(?:trace|debug|info|warning|warn|error|critical)${ESCAPE}\\] `);
/** The fixed-shape start of such a line ('d' = a digit), used to let guest text through early. */
const LOG_PREFIX_SHAPE = '[dddd-dd-dd dd:dd:dd.ddd] [';

export interface StdoutDemuxEvents {
  /** Every byte that is not part of a WasmEdge log line, in order, frames included. */
  onGuestBytes(bytes: Uint8Array): void;
  /** One WasmEdge log line, without its line ending. */
  onEngineLine(line: string): void;
  /** A frame has passed in full (header and payload). */
  onFrameEnd?(kind: string): void;
}

type State = 'lineStart' | 'midLine' | 'header' | 'payload';

export class StdoutDemux {
  private state: State = 'lineStart';
  private pending: Uint8Array = new Uint8Array(0);
  private payloadLeft = 0;
  private frameKind = '';

  constructor(private readonly events: StdoutDemuxEvents) {}

  push(chunk: Uint8Array): void {
    this.pending = this.pending.length ? concat(this.pending, chunk) : chunk;
    while (this.pending.length > 0 && this.step()) { /* keep going while progress is made */ }
  }

  /** End of stream: a complete log line without its newline still counts; the rest is guest bytes. */
  end(): void {
    if (this.state === 'lineStart' && this.pending.length && isLogLine(this.pending)) {
      this.events.onEngineLine(lineText(this.pending));
    } else if (this.pending.length) {
      this.events.onGuestBytes(this.pending);
    }
    this.pending = new Uint8Array(0);
    this.state = 'lineStart';
  }

  /** Handles what it can at the front of `pending`; false when it needs more bytes. */
  private step(): boolean {
    switch (this.state) {
      case 'payload': return this.passPayload();
      case 'midLine': return this.passText();
      case 'header': return this.readHeader();
      case 'lineStart': return this.readLineStart();
    }
  }

  private passPayload(): boolean {
    const take = Math.min(this.payloadLeft, this.pending.length);
    this.emit(take);
    this.payloadLeft -= take;
    if (this.payloadLeft === 0) this.endFrame();
    return true;
  }

  private passText(): boolean {
    const at = this.pending.findIndex((byte) => byte === NEWLINE || byte === RECORD_SEPARATOR);
    if (at < 0) {
      this.emit(this.pending.length);
      return false;
    }
    if (this.pending[at] === NEWLINE) {
      this.emit(at + 1);
      this.state = 'lineStart';
    } else {
      this.emit(at);
      this.state = 'header';
    }
    return true;
  }

  /** `pending` starts with 0x1e: a frame header by the FrameParser's rules, or stray text. */
  private readHeader(): boolean {
    const known = Math.min(MAGIC.length, this.pending.length);
    for (let i = 0; i < known; i++) if (this.pending[i] !== MAGIC[i]) return this.rejectHeader();
    const newline = this.pending.indexOf(NEWLINE);
    if (newline < 0) {
      if (this.pending.length > MAX_HEADER_BYTES) return this.rejectHeader();
      return false;
    }
    const header = new TextDecoder().decode(this.pending.subarray(MAGIC.length, newline));
    const match = /^([a-z_]{1,24}):(\d{1,10})$/.exec(header);
    if (newline > MAX_HEADER_BYTES || !match) return this.rejectHeader();
    this.emit(newline + 1);
    this.frameKind = match[1]!;
    // A length over the bridge's cap makes the bridge stop trusting the stream; treating it as a
    // payload here only means nothing after it is ever taken out, which is the safe side.
    this.payloadLeft = Number(match[2]);
    if (this.payloadLeft === 0) this.endFrame();
    else this.state = 'payload';
    return true;
  }

  /** Like the FrameParser: the marker byte is stray text and scanning goes on after it. */
  private rejectHeader(): boolean {
    this.emit(1);
    this.state = 'midLine';
    return true;
  }

  private readLineStart(): boolean {
    const first = this.pending[0];
    if (first === RECORD_SEPARATOR) {
      this.state = 'header';
      return true;
    }
    if (first !== 0x5b /* [ */ || !couldStartLogLine(this.pending)) {
      this.state = 'midLine';
      return true;
    }
    const newline = this.pending.indexOf(NEWLINE);
    if (newline < 0) {
      if (this.pending.length > MAX_LOG_LINE_BYTES) this.state = 'midLine';
      return this.state === 'midLine';
    }
    const line = this.pending.subarray(0, newline);
    if (!isLogLine(line)) {
      this.state = 'midLine';
      return true;
    }
    this.events.onEngineLine(lineText(line));
    this.pending = this.pending.subarray(newline + 1);
    return true;
  }

  private endFrame(): void {
    this.state = 'lineStart';
    this.events.onFrameEnd?.(this.frameKind);
  }

  private emit(count: number): void {
    if (count <= 0) return;
    // slice, not subarray: the receiver may keep the bytes after `pending` moves on.
    this.events.onGuestBytes(this.pending.slice(0, count));
    this.pending = this.pending.subarray(count);
  }
}

export function isLogLine(line: Uint8Array): boolean {
  return line.length <= MAX_LOG_LINE_BYTES && LOG_LINE.test(lineText(line));
}

function couldStartLogLine(bytes: Uint8Array): boolean {
  const known = Math.min(bytes.length, LOG_PREFIX_SHAPE.length);
  for (let i = 0; i < known; i++) {
    const want = LOG_PREFIX_SHAPE[i]!;
    const byte = bytes[i]!;
    if (want === 'd' ? byte < 0x30 || byte > 0x39 : byte !== want.charCodeAt(0)) return false;
  }
  return true;
}

function lineText(line: Uint8Array): string {
  const text = new TextDecoder().decode(line);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
