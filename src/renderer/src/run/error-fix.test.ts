import { describe, expect, it } from 'vitest';
import { errorFix } from './error-fix.ts';

describe('the fix a run\'s error offers', () => {
  it('reads the model and the reason from the details', () => {
    const notApproved = { code: 'MODEL_NOT_ALLOWED' as const, message: 'x', details: { model: 'mistral:latest', reason: 'not-approved' as const } };
    expect(errorFix(notApproved, false)).toEqual({ kind: 'approve', model: 'mistral:latest', label: 'Approve mistral:latest' });
    const notListed = { code: 'MODEL_NOT_ALLOWED' as const, message: 'x', details: { model: 'gemma2:2b', reason: 'not-in-manifest' as const } };
    expect(errorFix(notListed, true)).toEqual({ kind: 'add-to-manifest', model: 'gemma2:2b', label: 'Add gemma2:2b to the manifest' });
    // An installed plugin's manifest is not the user's to edit from the Runner.
    expect(errorFix(notListed, false)).toBeUndefined();
    expect(errorFix({ code: 'MODEL_NOT_INSTALLED', message: 'x', details: { model: 'llama3.2:latest' } }, false)).toMatchObject({ kind: 'pull', model: 'llama3.2:latest' });
  });

  it('offers the newest good version of a revoked plugin, when there is one', () => {
    expect(errorFix({ code: 'REVOKED', message: 'x', details: { name: 'p', version: '1.0.0', newestGood: '1.1.0' } }, false))
      .toEqual({ kind: 'install-version', name: 'p', version: '1.1.0', label: 'Install the newest good version (1.1.0)' });
    expect(errorFix({ code: 'REVOKED', message: 'x', details: { name: 'p', version: '1.0.0', newestGood: null } }, false)).toBeUndefined();
  });

  it('offers nothing without details, whatever the message says', () => {
    expect(errorFix({ code: 'MODEL_NOT_ALLOWED', message: 'Model "mistral" is not approved' }, true)).toBeUndefined();
    expect(errorFix({ code: 'TIMEOUT', message: 'slow' }, true)).toBeUndefined();
    expect(errorFix(undefined, true)).toBeUndefined();
  });
});
