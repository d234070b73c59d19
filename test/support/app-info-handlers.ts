import { DEFAULT_LIMITS } from '../../src/shared/limits.ts';
import type { ApiHandlers } from '../../src/shared/api/types.ts';

/** Handlers that answer app.info only: enough for tests of a transport, not of the routes. */
export const appInfoOnlyHandlers = {
  'app.info': async () => ({
    version: '0.1.0', host: 'server', dataHome: '/tmp', logsFolder: '/tmp/logs', defaultEngine: 'embedded', aiProvider: 'test',
    limits: { ...DEFAULT_LIMITS },
    features: { marketplace: false, library: false, history: true },
  }),
} as unknown as ApiHandlers;
