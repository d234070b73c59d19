import type { ErrorCode, ErrorInfo } from './errors.ts';

// Free of zod (errors.ts holds the schemas), so the renderer's first bundle can map errors too.

/** The one error type the product throws on purpose; anything else is a bug and maps to INTERNAL. */
export class WasmForgeError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = 'WasmForgeError';
    this.code = code;
    this.hint = options?.hint;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}) };
  }
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof WasmForgeError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}
