import type { App } from 'electron';
import { errorFields } from '../log/log.ts';
import type { HostLog } from './backend-host.ts';

/**
 * Crashes of any of the app's processes, with Electron's reason, into main's log: a window's
 * renderer (render-process-gone), the GPU, utility and other helpers (child-process-gone), and
 * main's own uncaught errors. A packaged app has no terminal: without this they would be lost.
 */
export function logProcessCrashes(app: Pick<App, 'on'>, log: HostLog): void {
  app.on('render-process-gone', (_event, contents, details) => {
    log.error('a window’s renderer process is gone', { reason: details.reason, exitCode: details.exitCode, url: contents.getURL?.().slice(0, 200) });
  });
  app.on('child-process-gone', (_event, details) => {
    log.error('a child process is gone', {
      type: details.type, reason: details.reason, exitCode: details.exitCode, serviceName: details.serviceName, name: details.name,
    });
  });
  process.on('uncaughtException', (error) => log.error('uncaught exception in the main process', errorFields(error)));
  process.on('unhandledRejection', (reason) => log.error('unhandled promise rejection in the main process', errorFields(reason)));
}
