import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { PluginRef } from '../../../shared/api/schemas/plugins.ts';

export interface FileInput {
  name: string;
  size: number;
  type: string;
  kind: 'text' | 'image';
  /** What get_input() returns. Text files: the text. Images: a data URL, which call_ai(images=[…]) takes as it is. */
  value: string;
}

interface RunnerState {
  selected?: PluginRef;
  text: string;
  json: string;
  file?: FileInput;
  select(ref: PluginRef | undefined): void;
  setText(text: string): void;
  setJson(json: string): void;
  setFile(file: FileInput | undefined): void;
}

/** What the Runner has picked and typed; kept while the user visits the Builder. */
export const runnerStore = createStore<RunnerState>((set) => ({
  text: '',
  json: '{\n  \n}',
  // Another plugin starts without the last one's file: its picker would show "no file" beside an old preview.
  select: (selected) => set((state) => (state.selected?.name === selected?.name && state.selected?.source === selected?.source ? {} : { selected, file: undefined })),
  setText: (text) => set({ text }),
  setJson: (json) => set({ json }),
  setFile: (file) => set({ file }),
}));

export function useRunner<T>(selector: (state: RunnerState) => T): T {
  return useStore(runnerStore, selector);
}
