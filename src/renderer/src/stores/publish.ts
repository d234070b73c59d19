import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { PublishEvent, PublishResult, PublishStep } from '../../../shared/api/schemas/marketplace.ts';
import type { ErrorInfo } from '../../../shared/errors.ts';
// A name the marketplace does not know (or could not be asked about) is reviewed first, as `wasmforge publish` does.
import { firstPublishCheck } from '../../../shared/api/first-publish.ts';
import { api } from '../api/client.ts';
import { errorInfoOf } from '../../../shared/api/api-error.ts';
import { describePluginSize, pluginFileNames } from '../../../shared/plugin-files.ts';
import { autosaveSettled, saveDraft } from '../screens/builder/use-autosave.ts';
import { builderStore } from './builder.ts';

export type StepStates = Partial<Record<PublishStep, { state: PublishEvent['state']; detail?: string }>>;

/** A name's first publish, shown before anything is sent: what becomes public, for good. */
export interface FirstPublishReview {
  name: string;
  version: string;
  description: string;
  tags: string[];
  models: string[];
  /** Every file that becomes public, plugin.py first. */
  files: string[];
  /** Their lines and bytes together: "12 lines, 300 B in 3 files". */
  size: string;
  /** The marketplace could not be reached to tell: the name may be this author's already (the publish is queued). */
  unchecked?: boolean;
}

interface PublishState {
  open: boolean;
  running: boolean;
  steps: StepStates;
  result?: PublishResult;
  error?: ErrorInfo;
  review?: FirstPublishReview;
  /** Saves the draft, then publishes it, step by step; a new name is first shown for review (`reviewed` goes ahead). */
  start(options?: { reviewed?: boolean }): Promise<void>;
  close(): void;
}

/** The Builder's publish: one at a time, its steps and outcome shown by the publish dialog. */
export const publishStore = createStore<PublishState>((set, get) => ({
  open: false,
  running: false,
  steps: {},
  async start(options = {}) {
    if (get().running) return;
    set({ open: true, running: true, steps: {}, result: undefined, error: undefined, review: undefined });
    try {
      await autosaveSettled();
      await saveDraft();
      const draft = builderStore.getState();
      if (draft.saveState !== 'saved') {
        set({ error: { code: 'BAD_INPUT', message: `Save the plugin first: ${draft.saveError ?? (draft.saveState === 'draft-only' ? 'give it a valid name' : 'it did not save')}` } });
        return;
      }
      const check = options.reviewed ? 'published' : await firstPublishCheck(() => api().call('market.details', { name: draft.manifest.name }));
      if (check !== 'published') {
        const { name, version, description, tags, models } = draft.manifest;
        const files = draft.files ?? {};
        set({ review: { name, version, description, tags, models, files: pluginFileNames(files), size: describePluginSize(draft.code, files), ...(check === 'unknown' ? { unchecked: true } : {}) } });
        return;
      }
      const result = await api().stream('market.publish', { name: draft.manifest.name }, {
        onEvent: (event) => set((s) => ({ steps: { ...s.steps, [event.step]: { state: event.state, detail: event.detail } } })),
      });
      set({ result });
    } catch (error) {
      set({ error: errorInfoOf(error) });
    } finally {
      set({ running: false });
    }
  },
  close: () => set({ open: false }),
}));

export function usePublish<T>(selector: (state: PublishState) => T): T {
  return useStore(publishStore, selector);
}

