import type { PluginTemplate } from '../../../../shared/api/schemas/plugins.ts';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { ErrorInfo } from '../../../../shared/errors.ts';
import { api } from '../../api/client.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';
import { builderStore } from '../../stores/builder.ts';
import { builderRun } from '../../stores/run.ts';
import { uiStore } from '../../stores/ui.ts';
import { autosaveSettled, saveDraft } from './use-autosave.ts';

/**
 * Replacing the draft is fine once it is saved: an autosave due or under way is finished first (it
 * would have saved the draft anyway); a draft that cannot be saved, or has no valid name yet, is the
 * user's to decide.
 */
export async function confirmReplace(): Promise<boolean> {
  await autosaveSettled();
  if (builderStore.getState().saveState === 'unsaved') await saveDraft();
  const state = builderStore.getState().saveState;
  return state === 'saved' || state === 'new' || window.confirm('The current draft is not saved to the workspace. Replace it anyway?');
}

/** A new plugin from a starter; false when the user kept the current draft instead. */
export async function startFromTemplate(template: PluginTemplate): Promise<boolean> {
  if (!await confirmReplace()) return false;
  builderStore.getState().applyTemplate(template);
  builderRun.getState().reset();
  uiStore.getState().setScreen('builder');
  return true;
}

/** Opens a workspace plugin in the Builder (from Home, the Builder's own menu, or a marketplace copy). */
export async function openWorkspacePlugin(name: string, options: { confirm?: boolean } = {}): Promise<void> {
  if (options.confirm !== false && !await confirmReplace()) return;
  try {
    builderStore.getState().open(await api().call('plugins.get', { source: 'workspace', name }));
    builderRun.getState().reset();
    openFailure.setState({ error: undefined });
  } catch (error) {
    // The draft on screen is untouched (and saved): this is no save that failed.
    openFailure.setState({ error: errorInfoOf(error) });
  }
  uiStore.getState().setScreen('builder');
}

/** Why the last Open failed (the plugin was renamed or removed meanwhile), until the next open or a dismissal. */
export const openFailure = createStore<{ error?: ErrorInfo }>(() => ({}));

export function useOpenFailure(): ErrorInfo | undefined {
  return useStore(openFailure, (s) => s.error);
}
