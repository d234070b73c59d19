import { describe, expect, it } from 'vitest';
import { FrameParser, type Frame } from '../protocol.ts';
import { StderrFrames } from './stderr-frames.ts';

const MARK = '0123456789abcdef0123456789abcdef';
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Feeds `chunks` and returns the frames the bridge would parse from the frame path, and the text left for the logs. */
function split(chunks: string[], mark = MARK): { frames: Array<[string, string]>; text: string } {
  const frames: Frame[] = [];
  let stray = '';
  let text = '';
  const parser = new FrameParser({ onFrame: (f) => frames.push(f), onStray: (b) => { stray += new TextDecoder().decode(b); }, onOversize: () => undefined }, () => 1 << 20);
  const splitter = new StderrFrames(mark, { onFrameBytes: (b) => parser.push(b), onText: (b) => { text += new TextDecoder().decode(b); } });
  for (const chunk of chunks) splitter.push(bytes(chunk));
  splitter.end();
  expect(stray).toBe('');
  return { frames: frames.map((f) => [f.kind, new TextDecoder().decode(f.payload)]), text };
}

describe('StderrFrames', () => {
  it('takes marked frames out of stderr as ordinary frames and leaves the text around them in order', () => {
    const result = split([`log one\n\x1eWF!${MARK}:out:10\nstill here\x1eWF!${MARK}:done:0\nafter`]);
    expect(result.frames).toEqual([['out', 'still here'], ['done', '']]);
    expect(result.text).toBe('log one\nafter');
  });

  it('finds a frame cut anywhere across chunks, the mark and the payload included', () => {
    const whole = `a\x1eWF!${MARK}:out:5\nhello` + 'b';
    for (let cut = 1; cut < whole.length; cut++) {
      expect(split([whole.slice(0, cut), whole.slice(cut)])).toEqual({ frames: [['out', 'hello']], text: 'ab' });
    }
  });

  it('leaves as text a frame without the mark, or with another mark: printed text cannot pass for a frame', () => {
    const printed = `\x1eWF:done:0\n\x1eWF!${'f'.repeat(32)}:done:0\n`;
    expect(split([printed])).toEqual({ frames: [], text: printed });
  });

  it('leaves a marked header that is not a frame header as text', () => {
    const bad = `\x1eWF!${MARK}:not a header\nrest`;
    expect(split([bad])).toEqual({ frames: [], text: bad });
  });
});
