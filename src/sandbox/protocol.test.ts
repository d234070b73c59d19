import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameParser, type Frame } from './protocol.ts';

function parse(chunks: Array<Uint8Array | string>, max = 1024) {
  const frames: Frame[] = [];
  let stray = '';
  const oversize: string[] = [];
  const parser = new FrameParser({
    onFrame: (f) => frames.push(f),
    onStray: (b) => (stray += Buffer.from(b).toString('latin1')),
    onOversize: (kind) => oversize.push(kind),
  }, max);
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
    const parser = new FrameParser({ onFrame: (f) => frames.push(f), onStray: () => undefined, onOversize: () => undefined }, 100);
    parser.push(encodeFrame('out', payload));
    expect(Buffer.from(frames[0]!.payload).equals(payload)).toBe(true);
  });
});
