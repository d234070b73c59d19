import { useEffect } from 'react';
import { api } from '../../api/client.ts';
import { errorInfoOf } from '../../api/errors.ts';
import { builderStore, isValidName, useBuilder } from '../../stores/builder.ts';

const AUTOSAVE_DELAY_MS = 800;

/** Saves the draft to the workspace now (when it has a valid name). */
export async function saveDraft(): Promise<void> {
  const state = builderStore.getState();
  if (!isValidName(state.manifest.name) || state.saveState === 'saving') return;
  state.markSaving();
  try {
    await api().call('plugins.save', { code: state.code, manifest: state.manifest, previousName: state.savedName });
    builderStore.getState().markSaved(state.manifest.name);
  } catch (error) {
    builderStore.getState().markSaveFailed(errorInfoOf(error).message);
  }
}

/** Saves a pause after the last edit, and asks before the page closes with edits not yet saved. */
export function useAutosave(): void {
  const code = useBuilder((s) => s.code);
  const manifest = useBuilder((s) => s.manifest);
  const saveState = useBuilder((s) => s.saveState);

  useEffect(() => {
    if (saveState !== 'unsaved') return;
    const timer = setTimeout(() => void saveDraft(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [code, manifest, saveState]);

  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent): void => {
      const { saveState } = builderStore.getState();
      if (saveState === 'saved' || saveState === 'new') return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);
}
