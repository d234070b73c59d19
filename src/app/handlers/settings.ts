import { marketplaceHealth } from '../../marketplace/index.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import { ollamaHostProblem } from '../../shared/ollama-host.ts';
import type { ApiHandlers } from '../../shared/api/types.ts';
import type { AppContext } from '../context.ts';
import { redactSettings, restoreDatabaseUrl, restoreSecrets } from '../settings-secrets.ts';

/** The settings as the Settings screen edits them: secrets shown masked, and a mask sent back keeps the stored secret. */
export function settingsHandlers(app: AppContext): Pick<ApiHandlers, 'settings.get' | 'settings.update' | 'settings.testDatabase'> {
  return {
    'settings.get': async () => redactSettings(await app.settings()),
    'settings.update': async (patch) => {
      const restored = restoreSecrets(patch, await app.settings());
      if (restored.marketplace?.databaseUrl) assertDatabaseUrl(restored.marketplace.databaseUrl);
      // Refused here, not in the settings schema: a settings file already holding a bad host still loads (its runs say why they fail).
      const hostProblem = restored.ollama?.host === undefined ? undefined : ollamaHostProblem(restored.ollama.host);
      if (hostProblem) throw new WasmForgeError('BAD_INPUT', hostProblem, { hint: 'Leave it empty for OLLAMA_HOST or the default, http://127.0.0.1:11434.' });
      return redactSettings(await app.updateSettings(restored));
    },
    // The same check `wasmforge doctor` makes, on a URL that is not saved yet.
    'settings.testDatabase': async ({ databaseUrl }) => {
      const url = restoreDatabaseUrl(databaseUrl.trim(), await app.settings());
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
