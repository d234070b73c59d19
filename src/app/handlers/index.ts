import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';
import { announcingChanges } from '../change-events.ts';
import { authorHandlers } from './author.ts';
import { eventHandlers } from './events.ts';
import { marketplaceHandlers } from './marketplace.ts';
import { modelHandlers } from './models.ts';
import { pluginHandlers } from './plugins.ts';
import { publishHandlers } from './publish.ts';
import { runHandlers } from './runs.ts';
import { settingsHandlers } from './settings.ts';
import { systemHandlers } from './system.ts';
import { testHandlers } from './tests.ts';

/** Every route of the contract, implemented once for IPC, HTTP and direct calls. A missing route does not compile. */
export function createHandlers(app: AppContext, log?: (message: string) => void): ApiHandlers {
  return announcingChanges({
    ...systemHandlers(app),
    ...eventHandlers(app),
    ...runHandlers(app, log),
    ...testHandlers(app),
    ...pluginHandlers(app),
    ...modelHandlers(app),
    ...settingsHandlers(app),
    ...marketplaceHandlers(app),
    ...publishHandlers(app),
    ...authorHandlers(app),
  } satisfies ApiHandlers, app);
}
