import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';

/** A section's save button: busy while saving, then "Saved" or the error. */
export function useSave(): { busy: boolean; saved: boolean; error?: ErrorInfo; run(work: () => Promise<unknown>): Promise<boolean> } {
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<ErrorInfo>();
  return {
    busy, saved, error,
    async run(work) {
      setBusy(true);
      setSaved(false);
      setError(undefined);
      try {
        await work();
        setSaved(true);
        return true;
      } catch (failure) {
        setError(errorInfoOf(failure));
        return false;
      } finally {
        setBusy(false);
      }
    },
  };
}
