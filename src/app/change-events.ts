import type { ChangeEventType } from '../shared/api/schemas/events.ts';
import type { ApiHandlers, RouteName } from '../shared/api/types.ts';
import { toErrorInfo } from '../shared/errors.ts';
import type { AppContext } from './context.ts';

/**
 * What each mutating route changes, announced to every watching client once it succeeded. The
 * settings announce themselves (AppContext.updateSettings, whoever saves them), a kept run once
 * it is in the history (runs.ts), deliveries in the background from the outbox retrier.
 */
export const CHANGES_OF: Partial<Record<RouteName, readonly ChangeEventType[]>> = {
  'plugins.save': ['library.changed'],
  'plugins.delete': ['library.changed'],
  'market.install': ['library.changed', 'market.changed'],
  'market.uninstall': ['library.changed', 'market.changed'],
  'market.fork': ['library.changed'],
  'market.yank': ['market.changed'],
  'market.unpublish': ['market.changed'],
  // A publish may write the models it found back to the workspace plugin.json, and may queue.
  'market.publish': ['market.changed', 'outbox.changed', 'library.changed'],
  'market.retry': ['outbox.changed', 'market.changed'],
  'models.pull': ['models.changed'],
  'models.delete': ['models.changed'],
  'models.approve': ['models.changed'],
  'author.importKey': ['settings.changed'],
  // The settings announce themselves; the cards show the new name.
  'author.setDisplayName': ['market.changed'],
};

type LooseHandler = (input: unknown, context: unknown) => Promise<unknown>;

/** Reads that succeed only when the marketplace answered (a search served from the cache says `offline`). */
const ANSWERED_BY_THE_DATABASE = new Set<string>(['market.search', 'market.details', 'market.install']);

/**
 * The handlers, each mutating one announcing its changes; a marketplace call that finds the database
 * away, or that the database answered while the last verdict said it was away, wakes the monitor.
 */
export function announcingChanges(handlers: ApiHandlers, app: Pick<AppContext, 'events' | 'monitor'>): ApiHandlers {
  const wrapped: Record<string, LooseHandler> = { ...(handlers as unknown as Record<string, LooseHandler>) };
  for (const [route, handler] of Object.entries(wrapped)) {
    const changes = CHANGES_OF[route as RouteName] ?? [];
    const isMarket = route.startsWith('market.');
    if (changes.length === 0 && !isMarket) continue;
    wrapped[route] = async (input, context) => {
      try {
        const output = await handler(input, context);
        changes.forEach((type) => app.events.publish({ type }));
        if (ANSWERED_BY_THE_DATABASE.has(route) && !(output as { offline?: object | null } | undefined)?.offline) app.monitor.marketAnswered();
        return output;
      } catch (error) {
        if (isMarket && toErrorInfo(error).code === 'DB_UNAVAILABLE') app.monitor.wake('market');
        throw error;
      }
    };
  }
  return wrapped as unknown as ApiHandlers;
}
