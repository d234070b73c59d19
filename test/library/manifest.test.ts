import { describe, expect, it } from 'vitest';
import { parseManifest, parseManifestText, parsePluginSpec } from '../../src/library/manifest.ts';

const valid = { name: 'text-summary', version: '1.2.3' };

describe('plugin.json', () => {
  it('fills defaults for a minimal manifest', () => {
    expect(parseManifest(valid)).toEqual({
      name: 'text-summary', version: '1.2.3', description: '', tags: [], models: [], limits: {}, inputType: 'text', inputHint: '',
    });
  });

  it.each([
    ['an upper-case name', { ...valid, name: 'Text' }],
    ['a name with SQL in it', { ...valid, name: "x'; drop table plugins; --" }],
    ['a double dash', { ...valid, name: 'a--b' }],
    ['a version that is not semver', { ...valid, version: 'v1' }],
    ['an invalid tag', { ...valid, tags: ['Has Space'] }],
    ['duplicate tags', { ...valid, tags: ['a', 'a'] }],
    ['eleven tags', { ...valid, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }],
    ['a negative limit', { ...valid, limits: { wallTimeMs: -1 } }],
    ['an unknown limit', { ...valid, limits: { cpus: 4 } }],
    ['a misspelt key', { ...valid, limts: {} }],
    ['an unknown input type', { ...valid, inputType: 'image' }],
  ])('refuses %s with INVALID_MANIFEST', (_label, data) => {
    expect(() => parseManifest(data)).toThrow(expect.objectContaining({ code: 'INVALID_MANIFEST' }));
  });

  it('reports text that is not JSON', () => {
    expect(() => parseManifestText('{')).toThrow(expect.objectContaining({ code: 'INVALID_MANIFEST', message: expect.stringContaining('not JSON') }));
  });

  it('parses name and name@version specs', () => {
    expect(parsePluginSpec('text-summary')).toEqual({ name: 'text-summary' });
    expect(parsePluginSpec('text-summary@2.0.0-beta.1')).toEqual({ name: 'text-summary', version: '2.0.0-beta.1' });
    expect(() => parsePluginSpec('text-summary@latest')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => parsePluginSpec('../etc/passwd')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
