import { describe, expect, it } from 'vitest';
import { manifestSchema, parseManifest, parseManifestText, parsePluginSpec } from '../../src/library/manifest.ts';
import { pluginManifestSchema } from '../../src/shared/api/schemas/plugins.ts';

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
    ['a version with a "v"', { ...valid, version: 'v1.0.0' }],
    ['a version with build metadata', { ...valid, version: '1.0.0+build.5' }],
    ['a version with a leading zero', { ...valid, version: '1.02.0' }],
    ['a model name with a space', { ...valid, models: ['qwen 2.5'] }],
    ['a negative AI token budget', { ...valid, limits: { aiTokens: -1 } }],
    ['a zero compute time', { ...valid, limits: { computeTimeMs: 0 } }],
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

  it('lowers every sandbox limit, compute time and AI tokens included', () => {
    const limits = { wallTimeMs: 1, computeTimeMs: 2, memoryBytes: 3, aiCalls: 0, aiTokens: 0, promptChars: 4, inputBytes: 5, outputBytes: 6, logBytes: 7 };
    expect(parseManifest({ ...valid, limits }).limits).toEqual(limits);
  });

  it('is the API\'s schema, only stricter about unknown keys and a missing version', () => {
    const samples: unknown[] = [
      valid, { ...valid, tags: ['a', 'a'] }, { ...valid, version: '1.0.0-01' }, { ...valid, version: '1.0.0-rc.1' },
      { ...valid, name: 'a'.repeat(65) }, { ...valid, name: 'x' }, { ...valid, models: ['hf.co/org/model:Q4_K_M'] },
      { ...valid, models: [''] }, { ...valid, tags: ['-x'] }, { ...valid, limits: { aiTokens: 10 } }, { ...valid, inputHint: 'x'.repeat(501) },
    ];
    for (const sample of samples) {
      expect([sample, manifestSchema.safeParse(sample).success]).toEqual([sample, pluginManifestSchema.safeParse(sample).success]);
    }
    expect(Object.keys(manifestSchema.shape).sort()).toEqual(Object.keys(pluginManifestSchema.shape).sort());
    expect(pluginManifestSchema.safeParse({ ...valid, limts: {} }).success).toBe(true);
    expect(manifestSchema.safeParse({ ...valid, limts: {} }).success).toBe(false);
    expect(pluginManifestSchema.parse({ name: 'fresh' }).version).toBe('0.1.0');
    expect(manifestSchema.safeParse({ name: 'fresh' }).success).toBe(false);
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
