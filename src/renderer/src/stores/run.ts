import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RunRecord, RunRequestInput } from '../../../shared/api/schemas/runs.ts';
import { api } from '../api/client.ts';
import { errorInfoOf } from '../../../shared/api/api-error.ts';
import { applyRunEvent, failRun, finishRun, IDLE_RUN, startRun, viewOfRecord, type RunView } from '../run/run-view.ts';

export interface RunState {
  view: RunView;
  start(request: RunRequestInput): Promise<RunRecord | undefined>;
  cancel(): void;
  show(record: RunRecord): void;
  reset(): void;
}

/** One run at a time per screen: start streams it into the view, cancel asks the sandbox to stop it. */
export function createRunStore(): StoreApi<RunState> {
  let controller: AbortController | undefined;
  return createStore<RunState>((set, get) => ({
    view: IDLE_RUN,
    async start(request) {
      if (get().view.status === 'running') return undefined;
      controller = new AbortController();
      set({ view: startRun(Date.now()) });
      try {
        const record = await api().stream('runs.run', request, {
          signal: controller.signal,
          onEvent: (event) => set((state) => ({ view: applyRunEvent(state.view, event) })),
        });
        set((state) => ({ view: finishRun(state.view, record) }));
        return record;
      } catch (error) {
        set((state) => ({ view: failRun(state.view, errorInfoOf(error)) }));
        return undefined;
      } finally {
        controller = undefined;
      }
    },
    cancel: () => controller?.abort(),
    show: (record) => set({ view: viewOfRecord(record) }),
    reset: () => set({ view: IDLE_RUN }),
  }));
}

export const builderRun = createRunStore();
export const runnerRun = createRunStore();

export function useRun<T>(store: StoreApi<RunState>, selector: (state: RunState) => T): T {
  return useStore(store, selector);
}
