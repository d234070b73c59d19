import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { saveDraft } from './use-autosave.ts';

const FORMAT_ON_SAVE_KEY = 'wasmforge.formatOnSave';

/** The Builder's Format on save switch: off unless the user turned it on; remembered in this browser like the theme. */
export const formatOnSave = createStore<{ on: boolean; set(on: boolean): void }>((set) => ({
  on: localStorage.getItem(FORMAT_ON_SAVE_KEY) === 'on',
  set: (on) => {
    localStorage.setItem(FORMAT_ON_SAVE_KEY, on ? 'on' : 'off');
    set({ on });
  },
}));

export function useFormatOnSave(): boolean {
  return useStore(formatOnSave, (s) => s.on);
}

/** "Format the document now", filled by the code editor once Monaco is up (the text area before it cannot format). */
export const editorFormatter: { current?: () => Promise<void> } = {};

/**
 * Saves now (Ctrl/⌘+S, the Save button, the command), formatting with Ruff first when the switch is
 * on. Autosave never formats: it would rewrite the code under the cursor while it is being typed.
 * Code Ruff cannot format (a syntax error) is saved as it is.
 */
export async function saveNow(): Promise<void> {
  if (formatOnSave.getState().on) await editorFormatter.current?.().catch(() => undefined);
  await saveDraft();
}
