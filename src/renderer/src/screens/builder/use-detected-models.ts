import { modelsFor, type DetectedModels } from '../../../../shared/api/schemas/plugins.ts';
import type { PluginFiles } from '../../../../shared/plugin-files.ts';
import { api } from '../../api/client.ts';
import { builderStore } from '../../stores/builder.ts';
import { useDebouncedCall } from '../../use-debounced-call.ts';

const DEBOUNCE_MS = 600;

/**
 * Keeps the manifest's models to the ones the code calls (read in the sandbox by Python's parser),
 * a moment after typing stops, so a template's leftovers never reach a save, a publish or a consent.
 * Code that does not parse keeps the list as it is (the answer says so: modelsFor; the syntax check says why).
 */
export function useDetectedModels(code: string, files: PluginFiles = {}): void {
  // A helper's calls count as plugin.py's do: the call is keyed by every file's text.
  useDebouncedCall(
    JSON.stringify([code, files]),
    DEBOUNCE_MS,
    (sources, signal) => {
      const [source, others] = JSON.parse(sources) as [string, PluginFiles];
      return api().call('plugins.detectModels', { code: source, ...(Object.keys(others).length > 0 ? { files: others } : {}) }, { signal });
    },
    keepDetectedModels,
  );
}

function keepDetectedModels(detected: DetectedModels): void {
  const { manifest, setManifest, saveState } = builderStore.getState();
  const models = modelsFor(manifest.models, detected);
  if (models.join('\n') === manifest.models.join('\n')) return;
  // The untouched starter stays unsaved ('new': nothing to lose); any other draft saves the change.
  if (saveState === 'new') builderStore.setState({ manifest: { ...manifest, models } });
  else setManifest({ models });
}
