import { z } from 'zod';
import { ApiError } from './api-error.ts';
import type { AnyRoute } from './route.ts';
import { apiRoutes } from './routes.ts';
import type { ApiClient } from './types.ts';

/**
 * Stream events checked where they arrive, against their route's schema, as outputs are checked
 * where they leave: a malformed event is never handed on; the stream is cancelled and the call
 * fails with a typed error (INTERNAL, naming the route), whichever transport carried it.
 */
export function checkedEvents(client: ApiClient, routes: Record<string, AnyRoute> = apiRoutes): ApiClient {
  async function stream(route: string, input: unknown, options: { signal?: AbortSignal; onEvent: (event: unknown) => void }): Promise<unknown> {
    const spec = Object.hasOwn(routes, route) ? routes[route] : undefined;
    const controller = new AbortController();
    const forward = (): void => controller.abort();
    options.signal?.addEventListener('abort', forward, { once: true });
    if (options.signal?.aborted) forward();
    let refused: ApiError | undefined;
    const onEvent = (event: unknown): void => {
      if (refused) return;
      const checked = spec?.kind === 'stream' ? spec.event.safeParse(event) : undefined;
      if (checked?.success) return options.onEvent(checked.data);
      refused = new ApiError({
        code: 'INTERNAL',
        message: `The server sent a ${route} event outside the contract${checked ? `: ${z.prettifyError(checked.error)}` : ''}`,
      });
      controller.abort();
    };
    try {
      const output = await (client.stream as (r: string, i: unknown, o: object) => Promise<unknown>)(route, input, { signal: controller.signal, onEvent });
      if (refused) throw refused;
      return output;
    } catch (error) {
      throw refused ?? error;
    } finally {
      options.signal?.removeEventListener('abort', forward);
    }
  }
  return {
    call: (route, input, options) => client.call(route, input, options),
    stream: (route, input, options) => stream(route, input, options as never) as never,
  };
}
