import type { ErrorCode, ErrorDetails, ErrorInfo } from './errors.ts';

// Free of zod (errors.ts holds the schemas), so the renderer's first bundle can map errors too.

/** The one error type the product throws on purpose; anything else is a bug and maps to INTERNAL. */
export class WasmForgeError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  /** Typed facts for clients to act on (errors.ts lists which codes carry which); give only this code's. */
  readonly details?: ErrorDetails;

  constructor(code: ErrorCode, message: string, options?: { hint?: string; cause?: unknown; details?: ErrorDetails }) {
    super(message, { cause: options?.cause });
    this.name = 'WasmForgeError';
    this.code = code;
    this.hint = options?.hint;
    this.details = options?.details;
  }

  toInfo(): ErrorInfo {
    // The union is keyed by code; the constructor's caller paired code and details.
    return { code: this.code, message: this.message, ...(this.hint ? { hint: this.hint } : {}), ...(this.details ? { details: this.details } : {}) } as ErrorInfo;
  }
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof WasmForgeError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

/** Builds an ErrorInfo from a code known only at run time (no details: those need their code). */
export function plainErrorInfo(code: ErrorCode, message: string, extra: Pick<ErrorInfo, 'hint' | 'traceback' | 'line' | 'column'> = {}): ErrorInfo {
  return { code, message, ...extra } as ErrorInfo;
}

/** A file the user named could not be read: missing is NOT_FOUND and a folder BAD_INPUT, each saying which file; anything else STORAGE_ERROR. */
export function fileReadError(error: unknown, path: string, what: string): WasmForgeError {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new WasmForgeError('NOT_FOUND', `No ${what} file at ${path}`);
  if (code === 'EISDIR') return new WasmForgeError('BAD_INPUT', `${path} is a folder; the ${what} must be a file`);
  return new WasmForgeError('STORAGE_ERROR', `Could not read the ${what} file ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
