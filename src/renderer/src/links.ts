import { PLUGIN_NAME_PATTERN, SEMVER_PATTERN } from '../../shared/api/names.ts';

/**
 * Links that open a plugin's page: `#/marketplace/<name>[@<version>]` in the browser app, and
 * `wasmforge://plugin/<name>@<version>` for the desktop app (which opens the page, never installs).
 * The API token never goes into a link: it stays in this tab's session storage.
 */
const IN_HASH = /^#\/marketplace\/([^&@]+)(?:@([^&]+))?(?:&|$)/;

export interface PluginLink {
  name: string;
  version?: string;
}

export function pluginFromHash(hash: string): PluginLink | undefined {
  const [, name, version] = IN_HASH.exec(hash) ?? [];
  if (!name || !PLUGIN_NAME_PATTERN.test(name) || (version !== undefined && !SEMVER_PATTERN.test(version))) return undefined;
  return version ? { name, version } : { name };
}

export function pluginHash(link: PluginLink): string {
  return `#/marketplace/${link.name}${link.version ? `@${link.version}` : ''}`;
}

/** The link to share: the page's own address in a browser, the app's scheme on the desktop. */
export function shareableLink(link: PluginLink, where: { desktop: boolean; origin: string; pathname: string }): string {
  if (where.desktop) return `wasmforge://plugin/${link.name}${link.version ? `@${link.version}` : ''}`;
  return `${where.origin}${where.pathname}${pluginHash(link)}`;
}
