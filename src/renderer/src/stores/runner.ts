import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { PluginRef } from '../../../shared/api/schemas/plugins.ts';

export interface FileInput {
  name: string;
  size: number;
  type: string;
  kind: 'text' | 'image';
  /** Text files: the text. Images: base64, as call_ai(images=[…]) takes it. */
  value: string;
  /** Images: a data URL for the preview. */
  previewUrl?: string;
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
  select: (selected) => set({ selected }),
  setText: (text) => set({ text }),
  setJson: (json) => set({ json }),
  setFile: (file) => set({ file }),
}));

export function useRunner<T>(selector: (state: RunnerState) => T): T {
  return useStore(runnerStore, selector);
}
