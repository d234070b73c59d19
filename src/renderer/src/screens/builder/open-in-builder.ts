import type { PluginTemplate } from '../../../../shared/api/schemas/plugins.ts';
import { api } from '../../api/client.ts';
import { errorInfoOf } from '../../../../shared/api/api-error.ts';
import { builderStore } from '../../stores/builder.ts';
import { builderRun } from '../../stores/run.ts';
import { uiStore } from '../../stores/ui.ts';

/** Replacing the draft is fine when it is saved (or untouched); otherwise the user is asked. */
export function confirmReplace(): boolean {
  const state = builderStore.getState().saveState;
  return state === 'saved' || state === 'new' || window.confirm('The current draft is not saved to the workspace. Replace it anyway?');
}

/** A new plugin from a starter; false when the user kept the current draft instead. */
export function startFromTemplate(template: PluginTemplate): boolean {
  if (!confirmReplace()) return false;
  builderStore.getState().applyTemplate(template);
  builderRun.getState().reset();
  uiStore.getState().setScreen('builder');
  return true;
}

/** Opens a workspace plugin in the Builder (from Home, the Builder's own menu, or a marketplace copy). */
export async function openWorkspacePlugin(name: string, options: { confirm?: boolean } = {}): Promise<void> {
  if (options.confirm !== false && !confirmReplace()) return;
  try {
    builderStore.getState().open(await api().call('plugins.get', { source: 'workspace', name }));
    builderRun.getState().reset();
  } catch (error) {
    builderStore.getState().markSaveFailed(errorInfoOf(error).message);
  }
  uiStore.getState().setScreen('builder');
}
