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
  'REVOKED', 'DB_UNAVAILABLE', 'STORAGE_ERROR', 'EDIT_CONFLICT', 'QUOTA_EXCEEDED', 'INVALID_TEST_CASE', 'INVALID_PLUGIN_FILES',
  // transport
  'UNAUTHORIZED', 'BUSY', 'INTERNAL',
  // desktop: the backend process died under a call (it is restarted; the call may be tried again)
  'BACKEND_RESTARTED',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/**
 * What some errors carry besides their words, so that no client parses English to act on one.
 * Each is optional (an older server, or a refusal that could not know), and belongs to its codes:
 * - VERSION_NOT_GREATER: the newest version the new one must exceed, and the next patch of it.
 * - MODEL_NOT_ALLOWED: the model, and why (not on the allow-list, or not in the plugin's manifest).
 * - MODEL_NOT_INSTALLED: the model, as the provider names it.
 * - REVOKED: the revoked version, and the newest good one (null: none).
 * - NOT_OWNER, ALREADY_EXISTS (a publish over another author's plugin name): the name, its owner,
 *   and a free name to publish under instead. Their other uses (a key, a folder) carry none.
 * - REPLAY_MISS: which AI call of the run (1-based), its model, and what differs from the closest
 *   recorded call (the field, the recorded and the actual text); `field` is null when none is close.
 * - INVALID_TEST_CASE: the case file, and each problem with its place in the file (`expect.output`).
 * - INVALID_PLUGIN_FILES: the file at fault (null: the set as a whole), and why (src/shared/plugin-files.ts).
 */
export const versionBumpDetailsSchema = z.object({ newest: z.string().nullable(), suggested: z.string().nullable() });
export const modelRefusedDetailsSchema = z.object({ model: z.string(), reason: z.enum(['not-approved', 'not-in-manifest']) });
export const modelMissingDetailsSchema = z.object({ model: z.string() });
export const revokedDetailsSchema = z.object({ name: z.string(), version: z.string(), newestGood: z.string().nullable() });
export const nameTakenDetailsSchema = z.object({ name: z.string(), owner: z.string(), suggestedName: z.string() });
export const replayMissDetailsSchema = z.object({
  call: z.number().int().positive(),
  model: z.string(),
  field: z.enum(['model', 'system', 'prompt', 'messages', 'images', 'input']).nullable(),
  recorded: z.string().optional(),
  actual: z.string().optional(),
});
export const testCaseIssuesSchema = z.object({ file: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })) });
export const pluginFilesProblemSchema = z.object({
  path: z.string().nullable(),
  reason: z.enum(['bad-path', 'not-text', 'file-too-large', 'total-too-large', 'too-many', 'no-entry']),
});

/**
 * What was not found, where a client acts on the difference: no such plugin (a first publish), a
 * version of a plugin that exists, or no marketplace in that database (a setting to fix).
 */
export const notFoundDetailsSchema = z.object({ missing: z.enum(['plugin', 'version', 'marketplace']) });

export const ERROR_DETAILS = {
  NOT_FOUND: notFoundDetailsSchema,
  VERSION_NOT_GREATER: versionBumpDetailsSchema,
  MODEL_NOT_ALLOWED: modelRefusedDetailsSchema,
  MODEL_NOT_INSTALLED: modelMissingDetailsSchema,
  REVOKED: revokedDetailsSchema,
  NOT_OWNER: nameTakenDetailsSchema,
  ALREADY_EXISTS: nameTakenDetailsSchema,
  REPLAY_MISS: replayMissDetailsSchema,
  INVALID_TEST_CASE: testCaseIssuesSchema,
  INVALID_PLUGIN_FILES: pluginFilesProblemSchema,
} as const;
export type DetailedCode = keyof typeof ERROR_DETAILS;
/** The details an error of this code carries (never, for a code without any). */
export type ErrorDetails<C extends ErrorCode = ErrorCode> = C extends DetailedCode ? z.infer<(typeof ERROR_DETAILS)[C]> : never;

const PLAIN_CODES = ERROR_CODES.filter((code) => !Object.hasOwn(ERROR_DETAILS, code)) as [Exclude<ErrorCode, DetailedCode>, ...Array<Exclude<ErrorCode, DetailedCode>>];

const errorBase = {
  message: z.string(),
  traceback: z.string().optional(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  hint: z.string().optional(),
};
/** An error as it crosses every boundary; `details` is typed by `code` (narrow on code to read it). */
export const errorInfoSchema = z.discriminatedUnion('code', [
  z.object({ code: z.enum(PLAIN_CODES), ...errorBase }),
  z.object({ code: z.literal('NOT_FOUND'), ...errorBase, details: notFoundDetailsSchema.optional() }),
  z.object({ code: z.literal('VERSION_NOT_GREATER'), ...errorBase, details: versionBumpDetailsSchema.optional() }),
  z.object({ code: z.literal('MODEL_NOT_ALLOWED'), ...errorBase, details: modelRefusedDetailsSchema.optional() }),
  z.object({ code: z.literal('MODEL_NOT_INSTALLED'), ...errorBase, details: modelMissingDetailsSchema.optional() }),
  z.object({ code: z.literal('REVOKED'), ...errorBase, details: revokedDetailsSchema.optional() }),
  z.object({ code: z.literal('NOT_OWNER'), ...errorBase, details: nameTakenDetailsSchema.optional() }),
  z.object({ code: z.literal('ALREADY_EXISTS'), ...errorBase, details: nameTakenDetailsSchema.optional() }),
  z.object({ code: z.literal('REPLAY_MISS'), ...errorBase, details: replayMissDetailsSchema.optional() }),
  z.object({ code: z.literal('INVALID_TEST_CASE'), ...errorBase, details: testCaseIssuesSchema.optional() }),
  z.object({ code: z.literal('INVALID_PLUGIN_FILES'), ...errorBase, details: pluginFilesProblemSchema.optional() }),
]);
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

/** The class and its mapping live apart from the schemas above, so code that must stay free of zod can use them. */
export { fileReadError, plainErrorInfo, toErrorInfo, WasmForgeError } from './wasmforge-error.ts';
