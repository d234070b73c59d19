import { ApiError } from '../../../shared/api/api-error.ts';
import type { ErrorInfo } from '../../../shared/errors.ts';

/** Whatever was thrown, as an error the UI can show with its code. */
export function errorInfoOf(error: unknown): ErrorInfo {
  if (error instanceof ApiError) return error.info;
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
