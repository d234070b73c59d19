import type { ErrorInfo } from '../../shared/errors.ts';

/**
 * The version to offer after a "not greater" refusal: the one its typed details suggest, else
 * (an older server, or a refusal that did not know the newest version) the next patch of the current one.
 */
export function suggestedVersion(error: ErrorInfo | undefined, current: string): string | undefined {
  if (error?.code !== 'VERSION_NOT_GREATER') return undefined;
  if (error.details?.suggested) return error.details.suggested;
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(current);
  return match ? `${match[1]}.${match[2]}.${Number(match[3]) + 1}` : undefined;
}

/** The free name a publish over another author's plugin name suggests (its typed details), if any. */
export function suggestedRename(error: ErrorInfo | undefined): string | undefined {
  return error?.code === 'NOT_OWNER' || error?.code === 'ALREADY_EXISTS' ? error.details?.suggestedName : undefined;
}
