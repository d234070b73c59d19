import { z } from 'zod';

/** Stable error codes: they cross every boundary (API, IPC, HTTP, CLI `--json`) unchanged. */
export const ERROR_CODES = [
  // sandbox
  'TIMEOUT', 'MEMORY_LIMIT', 'OUTPUT_LIMIT', 'PLUGIN_ERROR', 'SYNTAX_ERROR', 'PROTOCOL_ERROR',
  'CANCELLED', 'ENGINE_UNAVAILABLE', 'ENGINE_CRASHED', 'BAD_INPUT', 'COMPUTE_LIMIT',
  // AI bridge
  'AI_CALL_LIMIT', 'PROMPT_TOO_LONG', 'MODEL_NOT_ALLOWED', 'MODEL_NOT_INSTALLED', 'AI_UNAVAILABLE',
  'AI_ERROR', 'AI_TOKEN_LIMIT', 'REPLAY_MISS',
  // library and marketplace
  'NOT_FOUND', 'ALREADY_EXISTS', 'NOT_OWNER', 'VERSION_NOT_GREATER', 'INVALID_MANIFEST', 'TAMPERED',
  'REVOKED', 'DB_UNAVAILABLE', 'STORAGE_ERROR',
  // transport
  'UNAUTHORIZED', 'BUSY', 'INTERNAL',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorInfoSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  traceback: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  hint: z.string().optional(),
});
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

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
