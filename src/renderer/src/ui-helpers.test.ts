import { describe, expect, it } from 'vitest';
import { PLUGIN_NAME_PATTERN } from '../../shared/api/names.ts';
import { freeName } from './free-name.ts';
import { describeLimits, lowered } from './limits.ts';
import { suggestedRename, suggestedVersion } from './versions.ts';

const LIMITS = { wallTimeMs: 120_000, computeTimeMs: 120_000, memoryBytes: 256 * 1024 * 1024, aiCalls: 10, aiTokens: 100_000, promptChars: 4000, inputBytes: 1 << 20, outputBytes: 1 << 20, logBytes: 1 << 20 };

describe('what the consent dialog and the publish dialog compute', () => {
  it('lets a manifest lower the limits, never raise them', () => {
    expect(lowered(LIMITS, { aiCalls: 2, wallTimeMs: 999_999 })).toMatchObject({ aiCalls: 2, wallTimeMs: 120_000 });
    expect(lowered(undefined, { aiCalls: 2 })).toBeUndefined();
    expect(describeLimits(LIMITS)[0]).toEqual(['Time', '120.0 s']);
  });

  it('suggests the version a refusal\'s details name, else the next patch', () => {
    const refusal = (details?: { newest: string | null; suggested: string | null }) => ({ code: 'VERSION_NOT_GREATER' as const, message: 'Not greater', hint: 'e.g. to 9.9.9.', details });
    // The typed details decide; the hint's words are never read.
    expect(suggestedVersion(refusal({ newest: '2.3.4', suggested: '2.3.5' }), '1.0.0')).toBe('2.3.5');
    expect(suggestedVersion(refusal(), '0.1.9')).toBe('0.1.10');
    expect(suggestedVersion(refusal({ newest: null, suggested: null }), 'garbage')).toBeUndefined();
    expect(suggestedVersion({ code: 'NOT_OWNER', message: 'not yours' }, '1.0.0')).toBeUndefined();
    expect(suggestedVersion(undefined, '1.0.0')).toBeUndefined();
  });

  it('offers the free name a refusal over another author\'s name suggests, from its details only', () => {
    const details = { name: 'tool', owner: 'alice', suggestedName: 'tool-bob' };
    expect(suggestedRename({ code: 'ALREADY_EXISTS', message: 'taken', details })).toBe('tool-bob');
    expect(suggestedRename({ code: 'NOT_OWNER', message: 'not yours', details })).toBe('tool-bob');
    expect(suggestedRename({ code: 'ALREADY_EXISTS', message: 'The name is taken', hint: 'Rename your plugin (e.g. "tool-bob")' })).toBeUndefined();
    expect(suggestedRename({ code: 'VERSION_NOT_GREATER', message: 'no' })).toBeUndefined();
  });
});

describe('the name a new draft is first saved under', () => {
  it('keeps a free name and numbers a taken one, never making an invalid name', () => {
    expect(freeName('my-plugin', new Set(['other']))).toBe('my-plugin');
    expect(freeName('my-plugin', new Set(['my-plugin']))).toBe('my-plugin-2');
    expect(freeName('my-plugin-2', new Set(['my-plugin', 'my-plugin-2']))).toBe('my-plugin-3');
    const long = `${'a'.repeat(57)}-bcdefg`;
    expect(freeName(long, new Set([long]))).toMatch(PLUGIN_NAME_PATTERN);
  });
});
