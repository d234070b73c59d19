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

/** A file the user named could not be read: missing is NOT_FOUND and a folder BAD_INPUT, each saying which file; anything else STORAGE_ERROR. */
export function fileReadError(error: unknown, path: string, what: string): WasmForgeError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new WasmForgeError('NOT_FOUND', `No ${what} file at ${path}`);
  if (code === 'EISDIR') return new WasmForgeError('BAD_INPUT', `${path} is a folder; the ${what} must be a file`);
  return new WasmForgeError('STORAGE_ERROR', `Could not read the ${what} file ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
