import { describe, expect, it } from 'vitest';
import { printable } from './terminal.ts';

describe('printable', () => {
  it.each([
    ['clear screen and colours', 'a\u001b[2J\u001b[1;31mb', 'ab'],
    ['a window title (OSC 0, BEL)', 'a\u001b]0;pwned\u0007b', 'ab'],
    ['a clipboard write (OSC 52, ST)', 'a\u001b]52;c;aGk+L/8=\u001b\\b', 'ab'],
    ['an 8-bit CSI and OSC (C1)', 'a\u009b2Jb\u009d0;pwned\u009cc', 'abc'],
    ['a DCS string', 'a\u001bPq#0;2;0;0;0\u001b\\b', 'ab'],
    ['an unterminated OSC: hides the rest of its line only', 'a\u001b]0;title\nnext', 'a\nnext'],
    ['a lone ESC at the end', 'a\u001b', 'a'],
  ])('drops %s', (_label, text, shown) => {
    expect(printable(text, true)).toBe(shown);
  });

  it('keeps newlines and tabs only if asked; other controls become spaces', () => {
    expect(printable('a\tb\nc\rd\u0007e\u0085f', true)).toBe('a\tb\nc d e f');
    expect(printable('a\tb\nc')).toBe('a b c');
  });
});
