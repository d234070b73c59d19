import type { AppEvent, AppEventType } from '../../../shared/api/schemas/events.ts';
import type { ApiClient } from '../../../shared/api/types.ts';

interface Subscription {
  types: ReadonlySet<AppEventType>;
  listener: (event?: AppEvent) => void;
}

const subscriptions = new Set<Subscription>();

/**
 * Hears the backend's events of these types (events.watch). Also called, with no event, when the
 * watch is back after it was lost: whatever happened meanwhile was not heard, so read again.
 */
export function onAppEvents(types: readonly AppEventType[], listener: (event?: AppEvent) => void): () => void {
  const subscription = { types: new Set(types), listener };
  subscriptions.add(subscription);
  return () => void subscriptions.delete(subscription);
}

function deliver(event: AppEvent): void {
  for (const subscription of [...subscriptions]) if (subscription.types.has(event.type)) subscription.listener(event);
}

function missedSome(): void {
  for (const subscription of [...subscriptions]) subscription.listener();
}

export interface WatchOptions {
  /** The first wait before watching again after the watch was lost; it doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Told when the watch is lost (the server went away, the window's connection dropped). */
  onLost?: () => void;
}

/**
 * Keeps one watch of the backend open for this page, whatever the transport, and hands each event
 * to the stores and screens that asked for it. A lost watch is opened again with backoff; the
 * stop function ends it for good.
 */
export function watchAppEvents(client: ApiClient, options: WatchOptions = {}): () => void {
  const retryMs = options.retryMs ?? 1000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  const controller = new AbortController();
  let wait = retryMs;
  let watchedBefore = false;

  async function watchOnce(): Promise<void> {
    let heard = false;
    try {
      await client.stream('events.watch', {}, {
        signal: controller.signal,
        onEvent: (event) => {
          if (!heard && watchedBefore) missedSome();
          heard = watchedBefore = true;
          wait = retryMs;
          deliver(event);
        },
      });
    } catch {
      // Lost (or refused): watched again below, after a wait.
    }
  }

  void (async () => {
    while (!controller.signal.aborted) {
      await watchOnce();
      if (controller.signal.aborted) break;
      options.onLost?.();
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, maxRetryMs);
    }
  })();
  return () => controller.abort();
}
