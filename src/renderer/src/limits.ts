import type { LimitsView } from '../../shared/api/schemas/limits.ts';
import type { PluginManifest } from '../../shared/api/schemas/plugins.ts';
import { effectiveLimits } from '../../shared/limits.ts';

/** What the sandbox will allow: the app's limits, lowered (never raised) by the manifest, by the one pipeline the sandbox uses. */
export function lowered(base: LimitsView | undefined, manifest: PluginManifest['limits']): LimitsView | undefined {
  return base ? effectiveLimits(base, manifest) : undefined;
}

export { describeDeclared, describeLimits } from '../../shared/units.ts';
