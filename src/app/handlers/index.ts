import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';
import { authorHandlers } from './author.ts';
import { marketplaceHandlers } from './marketplace.ts';
import { modelHandlers } from './models.ts';
import { pluginHandlers } from './plugins.ts';
import { publishHandlers } from './publish.ts';
import { runHandlers } from './runs.ts';
import { settingsHandlers } from './settings.ts';
import { systemHandlers } from './system.ts';

/** Every route of the contract, implemented once for IPC, HTTP and direct calls. A missing route does not compile. */
export function createHandlers(app: AppContext, log?: (message: string) => void): ApiHandlers {
  return {
    ...systemHandlers(app),
    ...runHandlers(app, log),
    ...pluginHandlers(app),
    ...modelHandlers(app),
    ...settingsHandlers(app),
    ...marketplaceHandlers(app),
    ...publishHandlers(app),
    ...authorHandlers(app),
  } satisfies ApiHandlers;
}
