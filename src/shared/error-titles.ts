import type { ErrorCode, ErrorInfo } from './errors.ts';

/**
 * Each stable code in a few words a person reads first (an error card's heading); the code itself
 * stays beside it for searching and for support. A Record, so a new code cannot be left untitled.
 */
const TITLES: Record<ErrorCode, string> = {
  TIMEOUT: 'Took too long',
  MEMORY_LIMIT: 'Out of memory',
  OUTPUT_LIMIT: 'Too much output',
  PLUGIN_ERROR: 'The plugin failed',
  SYNTAX_ERROR: 'Syntax error',
  PROTOCOL_ERROR: 'The plugin broke the protocol',
  CANCELLED: 'Cancelled',
  ENGINE_UNAVAILABLE: 'Sandbox unavailable',
  ENGINE_CRASHED: 'The sandbox stopped',
  BAD_INPUT: 'Cannot do that',
  COMPUTE_LIMIT: 'Compute limit reached',
  AI_CALL_LIMIT: 'Too many AI calls',
  PROMPT_TOO_LONG: 'Prompt too long',
  MODEL_NOT_ALLOWED: 'Model not allowed',
  MODEL_NOT_INSTALLED: 'Model not installed',
  AI_UNAVAILABLE: 'Ollama unreachable',
  AI_ERROR: 'The model failed',
  AI_TOKEN_LIMIT: 'AI token limit reached',
  REPLAY_MISS: 'No recorded answer',
  NOT_FOUND: 'Not found',
  ALREADY_EXISTS: 'Already exists',
  NOT_OWNER: 'Not the owner',
  VERSION_NOT_GREATER: 'Version not greater',
  INVALID_MANIFEST: 'Manifest problem',
  TAMPERED: 'Signature check failed',
  REVOKED: 'Version revoked',
  DB_UNAVAILABLE: 'Marketplace unreachable',
  STORAGE_ERROR: 'Could not read or write files',
  EDIT_CONFLICT: 'Changed by another program',
  QUOTA_EXCEEDED: 'Disk or quota full',
  INVALID_TEST_CASE: 'Test case problem',
  INVALID_PLUGIN_FILES: 'Plugin files problem',
  UNAUTHORIZED: 'Refused',
  BUSY: 'Busy, try again',
  INTERNAL: 'Something went wrong',
  BACKEND_RESTARTED: 'The backend restarted',
};

/** The heading for this error; typed details narrow it where they say more than the code. */
export function errorTitle(error: ErrorInfo): string {
  if (error.code === 'NOT_FOUND' && error.details?.missing === 'marketplace') return 'No such marketplace database';
  return TITLES[error.code];
}
