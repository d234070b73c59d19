import { describe, expect, it } from 'vitest';
import { triedText } from './format.ts';

describe('counts in words (issue #15: no "time(s)")', () => {
  it('says how often a publish was tried', () => {
    expect([0, 1, 2, 12].map(triedText)).toEqual(['not tried yet', 'tried once', 'tried 2 times', 'tried 12 times']);
  });
});
