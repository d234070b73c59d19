import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';
import { detectModels, withDetectedModels } from '../model-detection.ts';

type PluginRoutes = 'plugins.list' | 'plugins.get' | 'plugins.save' | 'plugins.delete' | 'plugins.detectModels';

export function pluginHandlers(app: AppContext): Pick<ApiHandlers, PluginRoutes> {
  return {
    'plugins.list': () => app.plugins.list(),
    'plugins.get': (ref) => app.plugins.get(ref),
    // The manifest lists the models the code calls, not a template's leftovers (issue #12).
    'plugins.save': async (request) => app.plugins.save({ ...request, manifest: await withDetectedModels(app.runtime, request.code, request.manifest) }),
    'plugins.detectModels': ({ code }) => detectModels(app.runtime, code),
    'plugins.delete': async ({ name }) => {
      await app.plugins.delete(name);
      return {};
    },
  };
}
