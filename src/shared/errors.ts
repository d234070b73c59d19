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
  'REVOKED', 'DB_UNAVAILABLE', 'STORAGE_ERROR', 'QUOTA_EXCEEDED',
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

/** The class and its mapping live apart from the schemas above, so code that must stay free of zod can use them. */
export { fileReadError, toErrorInfo, WasmForgeError } from './wasmforge-error.ts';
