import type { ApiHandlers, ParsedInput } from '../../shared/api/types.ts';
import type { PluginFiles } from '../../shared/plugin-files.ts';
import type { AppContext } from '../context.ts';
import { detectModelsOrWhyNot, withDetectedModels } from '../model-detection.ts';

type PluginRoutes = 'plugins.list' | 'plugins.get' | 'plugins.save' | 'plugins.delete' | 'plugins.detectModels';

export function pluginHandlers(app: AppContext): Pick<ApiHandlers, PluginRoutes> {
  return {
    'plugins.list': () => app.plugins.list(),
    'plugins.get': (ref) => app.plugins.get(ref),
    // The manifest lists the models the code calls, not a template's leftovers (issue #12).
    'plugins.save': async (request) => {
      const files = request.files ?? await filesKept(app, request);
      return app.plugins.save({ ...request, manifest: await withDetectedModels(app.runtime, request.code, request.manifest, files) });
    },
    'plugins.detectModels': ({ code, files }) => detectModelsOrWhyNot(app.runtime, code, files),
    'plugins.delete': async ({ name }) => {
      await app.plugins.delete(name);
      return {};
    },
  };
}

/** A save without files keeps the folder's: their calls still count among the models (none for a new plugin). */
async function filesKept(app: AppContext, request: ParsedInput<'plugins.save'>): Promise<PluginFiles> {
  const name = request.previousName ?? request.manifest.name;
  return app.plugins.get({ source: 'workspace', name }).then((plugin) => plugin.files, () => ({}));
}
