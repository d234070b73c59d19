import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/**
 * The Builder's replay mode: runs answer their AI calls from the plugin's test cases (recorded
 * answers) instead of a model, for authoring without Ollama. Shown in the toolbar while on, and
 * every answer it gives is marked "replayed" in the AI trace.
 */
export const replayMode = createStore<{ on: boolean; set(on: boolean): void }>((set) => ({
  on: false,
  set: (on) => set({ on }),
}));

export function useReplayMode(): boolean {
  return useStore(replayMode, (s) => s.on);
}
