import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameParser, FrameScanner, MAX_ERROR_REPORT_BYTES, MAX_REQUEST_BYTES, payloadCap, type Frame } from './protocol.ts';

function parse(chunks: Array<Uint8Array | string>, max = 1024) {
  const frames: Frame[] = [];
  let stray = '';
  const oversize: string[] = [];
  const parser = new FrameParser({
    onFrame: (f) => frames.push(f),
    onStray: (b) => (stray += Buffer.from(b).toString('latin1')),
    onOversize: (kind) => oversize.push(kind),
  }, () => max);
  for (const chunk of chunks) parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
  parser.end();
  return { frames: frames.map((f) => [f.kind, Buffer.from(f.payload).toString()]), stray, oversize };
}

describe('FrameParser', () => {
  it('reads frames split across chunks at every byte', () => {
    const bytes = Buffer.concat([encodeFrame('out', 'hello\nworld'), encodeFrame('done', '')]);
    for (let cut = 1; cut < bytes.length; cut++) {
      const result = parse([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(result.frames).toEqual([['out', 'hello\nworld'], ['done', '']]);
      expect(result.stray).toBe('');
    }
  });

  it('keeps text around frames as stray bytes, in order', () => {
    const result = parse(['[2026-11-25 02:58:16.176] [error] engine log\n', encodeFrame('out', 'x'), 'tail']);
    expect(result.frames).toEqual([['out', 'x']]);
    expect(result.stray).toBe('[2026-11-25 02:58:16.176] [error] engine log\ntail');
  });

  it('treats a malformed header as stray text and recovers', () => {
    const result = parse(['\x1eWF:BAD KIND:3\nabc', encodeFrame('done', '')]);
    expect(result.frames).toEqual([['done', '']]);
    expect(result.stray).toContain('BAD KIND');
  });

  it('refuses a frame that claims more than the cap and stops parsing', () => {
    const result = parse(['\x1eWF:out:999999\nxx', encodeFrame('done', '')], 1000);
    expect(result.oversize).toEqual(['out']);
    expect(result.frames).toEqual([]);
  });

  it('passes payload bytes through exactly, including the marker itself', () => {
    const payload = Buffer.from('\x1eWF:done:0\n\u0000\xff', 'latin1');
    const frames: Frame[] = [];
    const parser = new FrameParser({ onFrame: (f) => frames.push(f), onStray: () => undefined, onOversize: () => undefined }, () => 100);
    parser.push(encodeFrame('out', payload));
    expect(Buffer.from(frames[0]!.payload).equals(payload)).toBe(true);
  });

  it('reassembles a frame written in many small pieces', () => {
    const payload = Buffer.alloc(20_000, 'p');
    const bytes = encodeFrame('out', payload);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const result = parse(chunks, 1 << 20);
    expect(result.frames).toEqual([['out', payload.toString()]]);
  });

  it('flushes an unfinished frame as stray text at the end', () => {
    const result = parse(['\x1eWF:out:10\nabc']);
    expect(result.frames).toEqual([]);
    expect(result.stray).toBe('abc');
  });
});

describe('FrameScanner', () => {
  it('hands payloads on as they arrive, keeping at most a header between pushes', () => {
    const events: string[] = [];
    const scanner = new FrameScanner({
      onStray: (b) => events.push(`stray ${b.length}`),
      onFrameStart: (kind, length, header) => events.push(`start ${kind} ${length} ${header}`),
      onPayload: (b) => events.push(`payload ${b.length}`),
      onFrameEnd: () => events.push('end'),
      onOversize: () => events.push('oversize'),
    }, () => 1000);
    const frame = encodeFrame('ai', 'x'.repeat(300));
    scanner.push(Buffer.concat([Buffer.from('ab'), frame.subarray(0, 110)]));
    scanner.push(frame.subarray(110));
    expect(events).toEqual(['stray 2', 'start ai 300 11', 'payload 99', 'payload 201', 'end']);
  });

  it('rejects marker after marker without a newline in linear time', () => {
    // Every marker starts a header search; one bounded to the header's size keeps this quick.
    let stray = 0;
    const scanner = new FrameScanner({
      onStray: (b) => (stray += b.length), onFrameStart: () => undefined, onPayload: () => undefined,
      onFrameEnd: () => undefined, onOversize: () => undefined,
    }, () => 1000);
    const markers = Buffer.from('\x1eWF:'.repeat(1_000_000), 'latin1');
    scanner.push(markers);
    scanner.end();
    expect(stray).toBe(markers.length);
  });
});

describe('payloadCap', () => {
  const KiB = 1024;
  const MiB = 1024 * KiB;

  /** What the scanner makes of a bare header under the caps of a run with this output limit. */
  function verdict(outputBytes: number, kind: string, length: number): string {
    let seen = 'nothing';
    const scanner = new FrameScanner({
      onStray: () => undefined, onPayload: () => undefined, onFrameEnd: () => undefined,
      onFrameStart: () => (seen = 'read'),
      onOversize: () => (seen = 'oversize'),
    }, payloadCap(outputBytes));
    scanner.push(new TextEncoder().encode(`\x1eWF:${kind}:${length}\n`));
    return seen;
  }

  it('caps output frames at the output limit, however small', () => {
    expect(verdict(64 * KiB, 'out', 64 * KiB)).toBe('read');
    expect(verdict(64 * KiB, 'out', 64 * KiB + 1)).toBe('oversize');
    expect(verdict(64 * KiB, 'out', 8 * MiB)).toBe('oversize');
  });

  it('caps requests at MAX_REQUEST_BYTES, however large the output limit', () => {
    for (const kind of ['ai', 'models']) {
      expect(verdict(64 * KiB, kind, MAX_REQUEST_BYTES)).toBe('read');
      expect(verdict(16 * MiB, kind, MAX_REQUEST_BYTES + 1)).toBe('oversize');
    }
    expect(verdict(16 * MiB, 'out', 16 * MiB)).toBe('read');
  });

  it('reads error reports up to their own cap, and little of any other kind', () => {
    expect(verdict(64 * KiB, 'error', MAX_ERROR_REPORT_BYTES)).toBe('read');
    expect(verdict(16 * MiB, 'error', MAX_ERROR_REPORT_BYTES + 1)).toBe('oversize');
    expect(verdict(16 * MiB, 'done', 64 * KiB)).toBe('read');
    expect(verdict(16 * MiB, 'done', 1 * MiB)).toBe('oversize');
    expect(verdict(16 * MiB, 'grant', 1 * MiB)).toBe('oversize');
  });
});
