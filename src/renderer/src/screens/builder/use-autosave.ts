import { useEffect } from 'react';
import { api } from '../../api/client.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';
import { freeName } from '../../free-name.ts';
import { builderStore, isValidName, useBuilder } from '../../stores/builder.ts';

const AUTOSAVE_DELAY_MS = 800;

let saving: Promise<void> | undefined;

/**
 * Saves the draft to the workspace now (when it has a valid name). One save at a time: asked while
 * one is under way, it waits for that one, so a draft's first save is never raced by a second one
 * that does not yet know the plugin exists (it would be refused as a new plugin under a taken name).
 * What changed while a save was under way (an edit, the models read from the code) is saved next,
 * before this settles: whoever awaits it (a publish) finds the draft saved, or why not.
 */
export function saveDraft(): Promise<void> {
  saving ??= (async () => {
    const { documentId } = builderStore.getState();
    do await saveOnce();
    while (builderStore.getState().saveState === 'unsaved' && builderStore.getState().documentId === documentId);
  })().finally(() => {
    saving = undefined;
  });
  return saving;
}

async function saveOnce(): Promise<void> {
  const { manifest, documentId } = builderStore.getState();
  if (!isValidName(manifest.name)) return;
  builderStore.getState().markSaving();
  try {
    await takeFreeNameIfGiven();
    const state = builderStore.getState();
    const saved = await api().call('plugins.save', {
      code: state.code, files: state.files ?? {}, manifest: state.manifest, previousName: state.savedName,
      ...(state.savedName !== undefined && state.diskRevision !== undefined ? { basedOn: state.diskRevision } : {}),
    });
    // Another plugin opened meanwhile is not the one this save wrote.
    if (builderStore.getState().documentId === documentId) builderStore.getState().markSaved(state.manifest.name, saved.revision);
  } catch (error) {
    const info = errorInfoOf(error);
    if (builderStore.getState().documentId === documentId) builderStore.getState().markSaveFailed(info.message, { conflict: info.code === 'EDIT_CONFLICT' });
  }
}

/** A draft saved for the first time under a name the app gave it takes a free one, never someone's plugin. */
export async function takeFreeNameIfGiven(): Promise<void> {
  const { savedName, nameChosen, manifest } = builderStore.getState();
  if (savedName !== undefined || nameChosen) return;
  const plugins = await api().call('plugins.list', {});
  const taken = new Set(plugins.filter((p) => p.source === 'workspace').map((p) => p.name));
  const now = builderStore.getState();
  // The user may have typed a name meanwhile: theirs wins.
  if (!now.nameChosen && now.manifest.name === manifest.name) now.adoptFreeName(freeName(manifest.name, taken));
}

/** Saves a pause after the last edit, and asks before the page closes with edits not yet saved. */
export function useAutosave(): void {
  const code = useBuilder((s) => s.code);
  const files = useBuilder((s) => s.files);
  const manifest = useBuilder((s) => s.manifest);
  const saveState = useBuilder((s) => s.saveState);

  // A fresh draft shows the name it will be saved under from the start.
  useEffect(() => {
    if (builderStore.getState().saveState === 'new') void takeFreeNameIfGiven().catch(() => undefined);
  }, []);

  useEffect(() => {
    if (saveState !== 'unsaved') return;
    const timer = setTimeout(() => void saveDraft(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [code, files, manifest, saveState]);

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

/** An autosave under way finishes first, so what comes next (a publish, another plugin) sees the draft as saved (or why not). */
export function autosaveSettled(): Promise<void> {
  return new Promise((resolve) => {
    if (builderStore.getState().saveState !== 'saving') return resolve();
    const stop = builderStore.subscribe((state) => {
      if (state.saveState === 'saving') return;
      stop();
      resolve();
    });
  });
}
