import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameParser, type Frame } from '../protocol.ts';
import { isLogLine, StdoutDemux } from './stdout-demux.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const LOG = '[2026-11-25 02:58:16.176] [error] Memory Instance: Memory grow page failed\n';
const LOG2 = '[2026-11-25 02:58:16.177] [error]     When executing function name: "_start"\n';

function bytes(...parts: Array<string | Uint8Array>): Uint8Array {
  const arrays = parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part));
  const out = new Uint8Array(arrays.reduce((sum, a) => sum + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** Feeds `stream` in chunks of the given sizes (cycled) and returns what came out. */
function demux(stream: Uint8Array, chunkSizes: number[] = [stream.length || 1]) {
  const guest: Uint8Array[] = [];
  const engine: string[] = [];
  const frameEnds: string[] = [];
  const splitter = new StdoutDemux({
    onGuestBytes: (b) => guest.push(b),
    onEngineLine: (line) => engine.push(line),
    onFrameEnd: (kind) => frameEnds.push(kind),
  });
  for (let at = 0, i = 0; at < stream.length; i++) {
    const size = Math.max(1, chunkSizes[i % chunkSizes.length]!);
    splitter.push(stream.slice(at, at + size));
    at += size;
  }
  splitter.end();
  return { guest: bytes(...guest), engine, frameEnds };
}

function framesOf(stream: Uint8Array): { frames: Frame[]; stray: string } {
  const frames: Frame[] = [];
  let stray = '';
  const parser = new FrameParser({
    onFrame: (f) => frames.push(f),
    onStray: (b) => { stray += decoder.decode(b); },
    onOversize: () => { throw new Error('oversize'); },
  }, () => 1 << 20);
  parser.push(stream);
  parser.end();
  return { frames, stray };
}

describe('StdoutDemux', () => {
  it('takes WasmEdge log lines out between frames and passes frames through byte for byte', () => {
    const out = encodeFrame('out', 'hello\n');
    const { guest, engine } = demux(bytes(encodeFrame('ready', ''), LOG, out, LOG2));
    expect(engine).toEqual([LOG.trimEnd(), LOG2.trimEnd()]);
    expect(guest).toEqual(bytes(encodeFrame('ready', ''), out));
  });

  it('never touches a frame payload, even one made of log lines', () => {
    const payload = `${LOG}${LOG2}\n${LOG}`;
    const frame = encodeFrame('out', payload);
    const stream = bytes(LOG, frame, LOG2);
    const { guest, engine } = demux(stream);
    expect(engine).toEqual([LOG.trimEnd(), LOG2.trimEnd()]);
    const { frames } = framesOf(guest);
    expect(frames).toHaveLength(1);
    expect(decoder.decode(frames[0]!.payload)).toBe(payload);
  });

  it('gives the same result however the stream is cut into chunks', () => {
    const stream = bytes(
      LOG, encodeFrame('ready', ''), 'stray text\n', LOG2, encodeFrame('out', `${LOG}payload`),
      encodeFrame('ai', '{"prompt":"[2026-01-01 00:00:00.000] [info] x\\n"}'), '[not a log] line\n', LOG,
    );
    const reference = demux(stream);
    expect(reference.engine).toHaveLength(3);
    for (const sizes of [[1], [2], [3], [7], [1, 5, 2], [64]]) {
      const result = demux(stream, sizes);
      expect(result.guest).toEqual(reference.guest);
      expect(result.engine).toEqual(reference.engine);
      expect(result.frameEnds).toEqual(['ready', 'out', 'ai']);
    }
    expect(framesOf(reference.guest).frames.map((f) => f.kind)).toEqual(['ready', 'out', 'ai']);
  });

  it('keeps guest text that only looks similar, and lines that do not start a line', () => {
    const lookalikes = '[2026-11-25] [error] short date\n[hello] world\nprefix [2026-11-25 02:58:16.176] [error] mid-line\n';
    const { guest, engine } = demux(bytes(lookalikes));
    expect(engine).toEqual([]);
    expect(decoder.decode(guest)).toBe(lookalikes);
  });

  it('passes a long guest line starting with "[" through without holding it back forever', () => {
    const long = `[${'x'.repeat(100_000)}`;
    const { guest } = demux(bytes(long), [4096]);
    expect(decoder.decode(guest)).toBe(long);
  });

  it('follows the FrameParser on invalid headers: the marker is stray text and scanning goes on', () => {
    const stream = bytes('\x1eWF:NOT VALID\n', LOG, '\x1eWF:out:3\nabc');
    const { guest, engine } = demux(stream, [1]);
    expect(engine).toEqual([LOG.trimEnd()]);
    const { frames, stray } = framesOf(guest);
    expect(frames.map((f) => decoder.decode(f.payload))).toEqual(['abc']);
    expect(stray).toBe('\x1eWF:NOT VALID\n');
  });

  it('tracks a frame that starts in the middle of a stray line', () => {
    const stream = bytes('noise', encodeFrame('out', `\n${LOG}`), LOG2);
    const { guest, engine } = demux(stream, [3]);
    expect(engine).toEqual([LOG2.trimEnd()]);
    expect(decoder.decode(framesOf(guest).frames[0]!.payload)).toBe(`\n${LOG}`);
  });

  it('treats an unfinished frame at exit as guest bytes and a last log line without newline as a log line', () => {
    expect(demux(bytes(LOG.trimEnd())).engine).toEqual([LOG.trimEnd()]);
    const partial = bytes('\x1eWF:out:100\nonly a little');
    expect(demux(partial).guest).toEqual(partial);
  });

  it('recognises spdlog lines with colour escapes and Windows line endings', () => {
    const colored = '[2026-11-25 02:58:16.176] [\x1b[31merror\x1b[m] execution failed: unreachable\r\n';
    const { guest, engine } = demux(bytes(colored));
    expect(engine).toEqual(['[2026-11-25 02:58:16.176] [\x1b[31merror\x1b[m] execution failed: unreachable']);
    expect(guest).toHaveLength(0);
    expect(isLogLine(bytes('[2026-11-25 02:58:16.176] [loud] nope'))).toBe(false);
  });
});
