import { describe, expect, it } from 'vitest';
import { splitInlineCode } from './inline-code.ts';

describe('backticked parts of a message', () => {
  it('become code, the rest stays text', () => {
    expect(splitInlineCode('Start Ollama (`ollama serve`), or point it elsewhere')).toEqual([
      { text: 'Start Ollama (', code: false }, { text: 'ollama serve', code: true }, { text: '), or point it elsewhere', code: false },
    ]);
    expect(splitInlineCode('`a` and `b`')).toEqual([{ text: 'a', code: true }, { text: ' and ', code: false }, { text: 'b', code: true }]);
  });

  it('keeps a lone backtick, an empty pair and plain text as written', () => {
    expect(splitInlineCode('no code here')).toEqual([{ text: 'no code here', code: false }]);
    expect(splitInlineCode('a ` b')).toEqual([{ text: 'a ` b', code: false }]);
    expect(splitInlineCode('a `` b `c')).toEqual([{ text: 'a `` b `c', code: false }]);
    expect(splitInlineCode('')).toEqual([]);
  });
});
