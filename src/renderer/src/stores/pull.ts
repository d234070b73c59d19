import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { PullProgressEvent } from '../../../shared/api/schemas/models.ts';
import type { ErrorInfo } from '../../../shared/errors.ts';
import { api } from '../api/client.ts';
import { errorInfoOf } from '../../../shared/api/api-error.ts';

interface PullState {
  name?: string;
  progress?: PullProgressEvent;
  outcome?: { kind: 'success' | 'cancelled'; name: string } | { kind: 'error'; name: string; error: ErrorInfo };
  running: boolean;
  start(name: string): Promise<void>;
  cancel(): void;
}

/** One model download at a time; it keeps going while the user looks at other screens. */
export function createPullStore() {
  let controller: AbortController | undefined;
  return createStore<PullState>((set, get) => ({
    running: false,
    async start(name) {
      if (get().running) return;
      controller = new AbortController();
      set({ name, running: true, progress: undefined, outcome: undefined });
      try {
        const result = await api().stream('models.pull', { name }, { signal: controller.signal, onEvent: (progress) => set({ progress }) });
        set({ outcome: { kind: result.status, name } });
      } catch (error) {
        set({ outcome: { kind: 'error', name, error: errorInfoOf(error) } });
      } finally {
        controller = undefined;
        set({ running: false });
      }
    },
    cancel: () => controller?.abort(),
  }));
}

export const pullStore = createPullStore();

export function usePull<T>(selector: (state: PullState) => T): T {
  return useStore(pullStore, selector);
}
