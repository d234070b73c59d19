import type { AppApi } from '../app/index.ts';
import type { ApiClient } from '../shared/api/types.ts';

export interface CliApiOptions {
  /** A marketplace database for this command only (`--url`), instead of the settings' or DATABASE_URL. */
  databaseUrl?: string;
}

/**
 * What a CLI command starts from: the app's own API in this process, so every rule lives once, in
 * src/app. A command is one shot: a sandbox pool of one, started by the first run, if any.
 */
async function openCliApi(options: CliApiOptions = {}): Promise<AppApi> {
  // Loaded here, not with the command: a usage error is reported before the app is.
  const { createAppApi } = await import('../app/index.ts');
  return createAppApi({ host: 'direct', sandbox: { warmPoolSize: 1, prewarm: false }, oneShot: true, databaseUrl: options.databaseUrl || undefined });
}

/** Opens the API, runs `work` with its client, and closes it (the sandbox and the databases) whatever happens. */
export async function withApi<T>(options: CliApiOptions, work: (client: ApiClient, api: AppApi) => Promise<T>): Promise<T> {
  const api = await openCliApi(options);
  try {
    return await work(api.client, api);
  } finally {
    await api.close();
  }
}
