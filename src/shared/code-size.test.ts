import { describe, expect, it } from 'vitest';
import { pluginCodeSchema } from './api/schemas/plugins.ts';
import { signedVersionSchema } from '../library/signed-version.ts';
import { codeFits, MAX_CODE_BYTES } from './code-size.ts';

describe('the one code-size limit', () => {
  const ascii = 'x'.repeat(MAX_CODE_BYTES);
  // 2 bytes each in UTF-8: half as many characters fill the same limit.
  const accented = 'é'.repeat(MAX_CODE_BYTES / 2);

  it('counts UTF-8 bytes, as the sandbox and the database do', () => {
    expect(codeFits(ascii)).toBe(true);
    expect(codeFits(`${ascii}x`)).toBe(false);
    expect(codeFits(accented)).toBe(true);
    expect(codeFits(`${accented}é`)).toBe(false);
  });

  it('is the same limit in the contract and in a signed version', () => {
    expect(pluginCodeSchema.safeParse(ascii).success).toBe(true);
    expect(pluginCodeSchema.safeParse(`${accented}é`).success).toBe(false);
    expect(signedVersionSchema.shape.code.safeParse(`${ascii}x`).success).toBe(false);
    expect(signedVersionSchema.shape.code.safeParse(accented).success).toBe(true);
  });
});
