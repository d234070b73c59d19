import type { ErrorInfo } from '../errors.ts';
import { toErrorInfo } from '../wasmforge-error.ts';

/** An error reply from the API, on the client side; `code` is one of ERROR_CODES. */
export class ApiError extends Error {
  readonly code: ErrorInfo['code'];
  readonly hint?: string;
  readonly info: ErrorInfo;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.code = info.code;
    this.hint = info.hint;
    this.info = info;
  }
}

export function cancelledError(): ApiError {
  return new ApiError({ code: 'CANCELLED', message: 'The request was cancelled' });
}

export function unwrapEnvelope<T>(envelope: { ok: true; data: T } | { ok: false; error: ErrorInfo }): T {
  if (envelope.ok) return envelope.data;
  throw new ApiError(envelope.error);
}

/** What went wrong, whether the API said it (ApiError) or local code threw it (WasmForgeError, or a bug: INTERNAL). */
export function errorInfoOf(error: unknown): ErrorInfo {
  return error instanceof ApiError ? error.info : toErrorInfo(error);
}
