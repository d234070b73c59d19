import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsPatchSchema, storedSettingsSchema } from './settings.ts';

describe('the settings schema', () => {
  it('fills in every default, so an old or empty file loads', () => {
    expect(storedSettingsSchema.parse({})).toEqual(DEFAULT_SETTINGS);
    expect(storedSettingsSchema.parse({ ollama: { host: 'gpu-box' }, sandbox: { limits: { aiCalls: 3 } } })).toMatchObject({
      ollama: { host: 'gpu-box', headers: {}, allowList: DEFAULT_SETTINGS.ollama.allowList },
      sandbox: { engine: 'embedded', warmPoolSize: 2, limits: { aiCalls: 3 } },
    });
    expect(storedSettingsSchema.safeParse(undefined).success).toBe(false);
  });

  it('gives a change no defaults: what it leaves out stays as it was', () => {
    expect(settingsPatchSchema.parse({ sandbox: { engine: 'wasmedge' } })).toEqual({ sandbox: { engine: 'wasmedge' } });
  });

  // One set of rules: what the API refuses, a settings file cannot hold either.
  it.each([
    ['a warm pool too large', { sandbox: { warmPoolSize: 99 } }],
    ['a negative limit', { sandbox: { limits: { aiCalls: -1 } } }],
    ['an unknown limit', { sandbox: { limits: { cpuCores: 4 } } }],
    ['an overlong host', { ollama: { host: 'h'.repeat(501) } }],
    ['too many approved models', { ollama: { allowList: Array.from({ length: 201 }, (_, i) => `m${i}:1b`) } }],
    ['an unknown theme', { ui: { theme: 'sepia' } }],
    ['a short server token', { server: { token: 'too-short' } }],
    ['a server token the sign-in URL cannot carry', { server: { token: 'sixteen-chars-&-more' } }],
  ])('refuses %s in an update and in the file alike', (_what, value) => {
    expect(settingsPatchSchema.safeParse(value).success).toBe(false);
    expect(storedSettingsSchema.safeParse(value).success).toBe(false);
  });

  it('accepts a server token of 16 visible characters', () => {
    expect(storedSettingsSchema.parse({ server: { token: 'abcdefgh+/=12345' } }).server.token).toBe('abcdefgh+/=12345');
  });
});
