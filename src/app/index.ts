import { apiRoutes } from '../shared/api/routes.ts';
import type { ApiClient, Dispatcher } from '../shared/api/types.ts';
import { createAppContext, type AppContext, type AppContextOptions } from './context.ts';
import { createDirectClient } from './direct-client.ts';
import { createDispatcher } from './dispatcher.ts';
import { createHandlers } from './handlers/index.ts';

export { createAppContext, type AppContext, type AppContextOptions } from './context.ts';
export { createDirectClient } from './direct-client.ts';

export interface AppApi {
  context: AppContext;
  dispatcher: Dispatcher;
  /** In-process typed client (CLI, tests). */
  client: ApiClient;
  close(): Promise<void>;
}

/** The composition root: one context, one handler map, one dispatcher for every transport. */
export async function createAppApi(options: AppContextOptions): Promise<AppApi> {
  const log = options.log ?? ((message: string) => process.stderr.write(`wasmforge: ${message}\n`));
  const context = await createAppContext({ ...options, log });
  const dispatcher = createDispatcher(apiRoutes, createHandlers(context, log), {
    onInternalError: (route, error) => log(`internal error in ${route}: ${error instanceof Error ? error.stack ?? error.message : String(error)}`),
  });
  return { context, dispatcher, client: createDirectClient(dispatcher), close: () => context.close() };
}
