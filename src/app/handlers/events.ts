import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';

/**
 * A client watches the backend: the connections as they are now, then every change as it is
 * published, until the client cancels or goes away (a window closed, a tab's connection lost).
 */
export function eventHandlers(app: AppContext): Pick<ApiHandlers, 'events.watch'> {
  return {
    'events.watch': async (_input, { signal, emit }) => {
      if (signal.aborted) return {};
      // The first watcher starts the monitor, whose first verdict may arrive here before the snapshot does.
      let heardConnections = false;
      const stopWatching = app.events.watch((event) => {
        heardConnections ||= event.type === 'connections.changed';
        emit(event);
      });
      try {
        const connections = await app.monitor.snapshot();
        if (!signal.aborted && !heardConnections) emit({ type: 'connections.changed', ...connections });
        await untilAborted(signal);
      } finally {
        stopWatching();
      }
      return {};
    },
  };
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
