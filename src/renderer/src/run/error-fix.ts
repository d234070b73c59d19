import type { ErrorInfo } from '../../../shared/errors.ts';

/** A one-click fix for a run's error, read from its typed details: never from its words. */
export type ErrorFix =
  | { kind: 'approve'; model: string; label: string }
  | { kind: 'add-to-manifest'; model: string; label: string }
  | { kind: 'pull'; model: string; label: string }
  | { kind: 'install-version'; name: string; version: string; label: string };

/**
 * What the result pane offers: approve a model off the allow-list, add one the manifest lacks
 * (only for a Builder run, whose manifest is at hand), pull one not installed, or install the
 * newest good version of a revoked plugin (through its consent, which shows what that version declares). No details (an older server): no fix, the hint stays.
 */
export function errorFix(error: ErrorInfo | undefined, fromBuilder: boolean): ErrorFix | undefined {
  switch (error?.code) {
    case 'MODEL_NOT_ALLOWED': {
      const model = error.details?.model;
      if (!model) return undefined;
      if (error.details?.reason === 'not-approved') return { kind: 'approve', model, label: `Approve ${model}` };
      return fromBuilder ? { kind: 'add-to-manifest', model, label: `Add ${model} to the manifest` } : undefined;
    }
    case 'MODEL_NOT_INSTALLED':
      return error.details ? { kind: 'pull', model: error.details.model, label: `Pull ${error.details.model}` } : undefined;
    case 'REVOKED': {
      const { name, newestGood } = error.details ?? {};
      return name && newestGood ? { kind: 'install-version', name, version: newestGood, label: `Install the newest good version (${newestGood})` } : undefined;
    }
    default:
      return undefined;
  }
}
