import { z } from 'zod';
import type { IpcPeer } from '../ipc/transport.ts';
import { RENDERER_ERROR_SOURCES } from '../shared/api/wire.ts';
import type { HostLog } from './backend-host.ts';

const shellRequestSchema = z.discriminatedUnion('action', [
  z.object({ kind: z.literal('shell'), action: z.literal('open-logs-folder') }).strict(),
  z.object({
    kind: z.literal('shell'),
    action: z.literal('report-error'),
    error: z.object({ source: z.enum(RENDERER_ERROR_SOURCES), message: z.string().max(4000), stack: z.string().max(16_000).optional() }).strict(),
  }).strict(),
]);

/** A page that throws in a loop must not fill the disk: this many errors a minute per document, then one line saying so. */
export const RENDERER_ERRORS_PER_MINUTE = 30;

export interface ShellActionsOptions {
  logsFolder: string;
  log: HostLog;
  /** Electron's shell.openPath: '' when it opened, else why not. */
  openPath: (path: string) => Promise<string>;
  now?: () => number;
}

/**
 * The desktop shell's own actions, asked for by the app's page (the relay has checked the frame):
 * open the logs folder (only that folder: the page names no path), and write a renderer error
 * to main's log. Anything else, or anything malformed, is dropped with a line in the log.
 */
export function shellActions(options: ShellActionsOptions): (peer: IpcPeer, message: unknown) => void {
  const now = options.now ?? Date.now;
  const budgets = new Map<string, { windowStart: number; count: number }>();

  function withinBudget(peerId: string): boolean {
    const budget = budgets.get(peerId);
    if (!budget || now() - budget.windowStart >= 60_000) {
      budgets.set(peerId, { windowStart: now(), count: 1 });
      return true;
    }
    budget.count += 1;
    if (budget.count === RENDERER_ERRORS_PER_MINUTE + 1) options.log.warn('a window reports too many errors; dropping the rest for a minute', { peer: peerId });
    return budget.count <= RENDERER_ERRORS_PER_MINUTE;
  }

  return (peer, raw) => {
    const parsed = shellRequestSchema.safeParse(raw);
    if (!parsed.success) {
      options.log.warn('dropped a malformed shell request from a window');
      return;
    }
    const request = parsed.data;
    if (request.action === 'open-logs-folder') {
      void options.openPath(options.logsFolder).then((failure) => {
        if (failure) options.log.warn('could not open the logs folder', { folder: options.logsFolder, reason: failure });
      });
    } else if (withinBudget(peer.id)) {
      options.log.error('renderer error', { peer: peer.id, source: request.error.source, error: request.error.message, stack: request.error.stack });
    }
  };
}
