import { describe, expect, it } from 'vitest';
import { WasmForgeError } from '../../shared/errors.ts';
import { assertVersionGreater, versionNotGreater } from './version-rule.ts';

describe('the version rule\'s refusal', () => {
  it('names the newest version and the next patch in typed details, not only in its hint', () => {
    let refusal: unknown;
    try {
      assertVersionGreater('p', '1.2.3', '1.2.3');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(WasmForgeError);
    expect((refusal as WasmForgeError).toInfo()).toMatchObject({ code: 'VERSION_NOT_GREATER', details: { newest: '1.2.3', suggested: '1.2.4' } });
  });

  it('says it does not know when the newest version is unknown', () => {
    expect(versionNotGreater('already published').toInfo()).toMatchObject({ details: { newest: null, suggested: null } });
  });
});
