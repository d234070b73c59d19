import { describe, expect, it } from 'vitest';
import { ApiError } from './api/api-error.ts';
import { ERROR_DETAILS, errorInfoSchema, type ErrorInfo } from './errors.ts';
import { WasmForgeError } from './wasmforge-error.ts';

describe('typed error details', () => {
  it('each code carries its own details, as the contract describes them', () => {
    const bump = { code: 'VERSION_NOT_GREATER', message: 'no', details: { newest: '1.0.0', suggested: '1.0.1' } };
    expect(errorInfoSchema.parse(bump)).toEqual(bump);
    const model = { code: 'MODEL_NOT_ALLOWED', message: 'no', details: { model: 'mistral:latest', reason: 'not-approved' } };
    expect(errorInfoSchema.parse(model)).toEqual(model);
    const revoked = { code: 'REVOKED', message: 'no', details: { name: 'p', version: '1.0.0', newestGood: null } };
    expect(errorInfoSchema.parse(revoked)).toEqual(revoked);
  });

  it('refuses details of another code, and drops details from a code that has none', () => {
    expect(errorInfoSchema.safeParse({ code: 'VERSION_NOT_GREATER', message: 'no', details: { model: 'm' } }).success).toBe(false);
    expect(errorInfoSchema.safeParse({ code: 'MODEL_NOT_ALLOWED', message: 'no', details: { model: 'm', reason: 'because' } }).success).toBe(false);
    expect(errorInfoSchema.parse({ code: 'TIMEOUT', message: 'slow', details: { newest: '1.0.0' } })).toEqual({ code: 'TIMEOUT', message: 'slow' });
  });

  it('the union checks the details of every code the documented list names (the two cannot drift apart)', () => {
    for (const code of Object.keys(ERROR_DETAILS)) {
      expect(errorInfoSchema.safeParse({ code, message: 'm', details: {} }).success, code).toBe(false);
      expect(errorInfoSchema.safeParse({ code, message: 'm' }).success, code).toBe(true);
    }
  });

  it('details stay optional: an older server or a refusal that could not know still parses', () => {
    expect(errorInfoSchema.parse({ code: 'VERSION_NOT_GREATER', message: 'no' })).toEqual({ code: 'VERSION_NOT_GREATER', message: 'no' });
  });

  it('travel from the thrown error to the client unchanged', () => {
    const thrown = new WasmForgeError('MODEL_NOT_INSTALLED', 'pull it', { hint: 'pull', details: { model: 'llama3.2:latest' } });
    const info: ErrorInfo = errorInfoSchema.parse(JSON.parse(JSON.stringify(thrown.toInfo())));
    const received = new ApiError(info).info;
    // Narrowing on the code types the details: no message is read.
    expect(received.code === 'MODEL_NOT_INSTALLED' ? received.details?.model : undefined).toBe('llama3.2:latest');
    expect(new WasmForgeError('TIMEOUT', 'slow').toInfo()).toEqual({ code: 'TIMEOUT', message: 'slow' });
  });
});
