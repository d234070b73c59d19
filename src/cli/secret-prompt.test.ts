import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptSecret } from './secret-prompt.ts';

/** A terminal stand-in: the user types `keys` once the question is shown. */
function terminal(keys: string) {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
    if (shown.endsWith(': ')) input.write(keys);
  });
  return { input, output, shown: () => shown };
}

describe('promptSecret', () => {
  it('returns what was typed, with backspace applied, and never shows it', async () => {
    const tty = terminal('hunter3\u007f2\r');
    expect(await promptSecret('Password: ', tty)).toBe('hunter2');
    expect(tty.shown()).toBe('Password: \n');
  });

  it('is cancelled by Ctrl-C', async () => {
    await expect(promptSecret('Password: ', terminal('abc\u0003'))).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
