import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirm } from './confirm.ts';
import { UsageError } from './output.ts';

/** A terminal stand-in: the user types `answer` once the question is shown. */
function terminal(answer: string): { input: PassThrough & { isTTY: boolean }; output: PassThrough; shown: () => string } {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
    if (shown.includes('[y/N]')) input.write(`${answer}\n`);
  });
  return { input, output, shown: () => shown };
}

describe('confirm', () => {
  it('asks at a terminal and goes ahead only on yes', async () => {
    for (const [answer, expected] of [['y', true], ['YES', true], ['n', false], ['', false], ['maybe', false]] as const) {
      const tty = terminal(answer);
      expect(await confirm('Delete greeter?', tty)).toBe(expected);
      expect(tty.shown()).toBe('Delete greeter? [y/N] ');
    }
  });

  it('asks nothing when stdin is not a terminal: it needs --yes', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: false });
    await expect(confirm('Delete greeter?', { input })).rejects.toThrow(UsageError);
    await expect(confirm('Delete greeter?', { input })).rejects.toThrow(/add --yes/);
    expect(await confirm('Delete greeter?', { input, yes: true })).toBe(true);
  });
});
