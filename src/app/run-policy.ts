import type { PluginManifest } from '../shared/api/schemas/plugins.ts';
import type { RunRecord } from '../shared/api/schemas/runs.ts';
import type { AppInfo } from '../shared/api/schemas/system.ts';
import type { LimitsRequester } from '../shared/limits.ts';

/** Where a run's code comes from: the Builder (or a file on the command line), a workspace plugin, an installed one. */
export type RunSource = RunRecord['source'];

/**
 * The models a run may call. Installed plugins are held to exactly the models they declared when
 * the user consented (none declared: no AI at all). The user's own code may leave the list empty
 * to mean "any approved model". The settings' allow-list applies on top, in the broker.
 */
export function modelsHeldTo(source: RunSource, manifest: Partial<Pick<PluginManifest, 'models'>>): string[] | undefined {
  const models = manifest.models ?? [];
  if (source === 'installed') return models;
  return models.length ? models : undefined;
}

/**
 * Who asks for a run's own limits, by where the API is served. In-process ('direct') is the
 * local CLI, run by the user who owns these settings: `run --timeout` may raise them. Over HTTP
 * a token holder, and over IPC a window, may only lower them: the settings are the ceiling of
 * what one call can take of this machine (issue #9: 8 workers × 4 GiB).
 */
export function limitsRequester(host: AppInfo['host']): LimitsRequester {
  return host === 'direct' ? 'owner' : 'caller';
}
