import { useEffect } from 'react';

/**
 * Forms whose edits are not saved yet (each Settings section saves on its own). Leaving the
 * screen, or closing the page, with any of them asks first: an edit is never dropped silently
 * because another section was saved and the user moved on.
 */
const unsaved = new Set<string>();

export function useUnsavedEdits(form: string, dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    unsaved.add(form);
    return () => void unsaved.delete(form);
  }, [form, dirty]);
}

/** True when nothing is unsaved, or the user chose to leave anyway (their edits are dropped then). */
export function confirmLeavingUnsaved(): boolean {
  if (unsaved.size === 0) return true;
  const forms = [...unsaved].join(', ');
  if (!window.confirm(`Your changes to ${forms} are not saved. Leave without saving them?`)) return false;
  unsaved.clear();
  return true;
}

/** Whether this form holds edits not saved yet. */
export function isUnsaved(form: string): boolean {
  return unsaved.has(form);
}

export function hasUnsavedEdits(): boolean {
  return unsaved.size > 0;
}

window.addEventListener('beforeunload', (event) => {
  if (unsaved.size === 0) return;
  event.preventDefault();
  event.returnValue = '';
});
