import { marketplaceHealth } from '../../marketplace/index.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';

export function settingsHandlers(app: AppContext): Pick<ApiHandlers, 'settings.get' | 'settings.update' | 'settings.testDatabase'> {
  return {
    'settings.get': () => app.settings(),
    'settings.update': (patch) => {
      if (patch.marketplace?.databaseUrl) assertDatabaseUrl(patch.marketplace.databaseUrl);
      return app.updateSettings(patch);
    },
    // The same check `wasmforge doctor` makes, on a URL that is not saved yet.
    'settings.testDatabase': async ({ databaseUrl }) => {
      const url = databaseUrl.trim();
      if (url) assertDatabaseUrl(url);
      return marketplaceHealth({ home: app.home, databaseUrl: url || null });
    },
  };
}

/** Only PostgreSQL URLs: anything else would fail later with a less helpful message. */
export function assertDatabaseUrl(value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (!url || !['postgres:', 'postgresql:'].includes(url.protocol) || !url.hostname) {
    throw new WasmForgeError('BAD_INPUT', 'The marketplace database URL must look like postgres://user:password@host:5432/database', {
      hint: 'Leave it empty for the local, single-user marketplace.',
    });
  }
}
