import type { PluginManifest } from '../shared/api/schemas/plugins.ts';

/** Where a run's code comes from: the Builder (or a file on the command line), a workspace plugin, an installed one. */
export type RunSource = 'builder' | 'workspace' | 'installed';

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
