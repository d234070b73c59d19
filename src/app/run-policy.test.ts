import { describe, expect, it } from 'vitest';
import { effectiveLimits } from '../shared/limits.ts';
import { limitsRequester } from './run-policy.ts';

describe('who asks for a run\'s limits', () => {
  it('only the in-process API (the local CLI) is the owner; HTTP and IPC callers may only lower', () => {
    expect(limitsRequester('direct')).toBe('owner');
    expect(limitsRequester('server')).toBe('caller');
    expect(limitsRequester('desktop')).toBe('caller');
  });

  it('so the same request raises memory in the CLI and is capped at the settings over HTTP', () => {
    const settings = { memoryBytes: 64 * 2 ** 20 };
    const ask = { memoryBytes: 4 * 1024 ** 3 };
    expect(effectiveLimits(settings, {}, { limits: ask, by: limitsRequester('direct') }).memoryBytes).toBe(4 * 1024 ** 3);
    expect(effectiveLimits(settings, {}, { limits: ask, by: limitsRequester('server') }).memoryBytes).toBe(64 * 2 ** 20);
  });
});
