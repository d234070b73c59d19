import type { PluginSummary } from '../../../../shared/api/schemas/plugins.ts';
import { runnerRun } from '../../stores/run.ts';
import { runnerStore } from '../../stores/runner.ts';
import { uiStore } from '../../stores/ui.ts';

/** Shows a plugin in the Runner, ready for its input (from Home or the marketplace). */
export function openInRunner(plugin: Pick<PluginSummary, 'source' | 'name'>): void {
  runnerStore.getState().select({ source: plugin.source, name: plugin.name });
  runnerRun.getState().reset();
  uiStore.getState().setScreen('runner');
}
