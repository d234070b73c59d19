import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';

type PluginRoutes = 'plugins.list' | 'plugins.get' | 'plugins.save' | 'plugins.delete';

export function pluginHandlers(app: AppContext): Pick<ApiHandlers, PluginRoutes> {
  return {
    'plugins.list': () => app.plugins.list(),
    'plugins.get': (ref) => app.plugins.get(ref),
    'plugins.save': (request) => app.plugins.save(request),
    'plugins.delete': async ({ name }) => {
      await app.plugins.delete(name);
      return {};
    },
  };
}
