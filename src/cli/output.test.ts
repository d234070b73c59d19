import { describe, expect, it } from 'vitest';
import { printAiTokens } from './output.ts';

describe('the --stream printer', () => {
  it('writes each AI answer on its own line and closes the last one when the run ends (no result event does it)', () => {
    let text = '';
    const print = printAiTokens((chunk) => (text += chunk));
    print({ type: 'ai-call', model: 'm', index: 0 });
    print({ type: 'ai-token', index: 0, text: 'hel' });
    print({ type: 'ai-token', index: 0, text: 'lo' });
    print({ type: 'ai-call', model: 'n', index: 1 });
    print({ type: 'ai-token', index: 1, text: 'bye' });
    print({ type: 'end' });
    print({ type: 'end' });
    expect(text).toBe('[ai #1 m] hello\n[ai #2 n] bye\n');
  });
});
