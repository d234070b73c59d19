import { resolve } from 'node:path';
import { PLUGIN_NAME_PATTERN, SEMVER_PATTERN } from '../shared/api/names.ts';

/**
 * `wasmforge://plugin/<name>[@<version>]` opens that plugin's page in the app: never an install,
 * never anything else. Whatever else a link carries (a query, more path) makes it no link of ours.
 */
export const DEEP_LINK_SCHEME = 'wasmforge';

export interface DeepLink {
  name: string;
  version?: string;
}

export function pluginFromDeepLink(url: string): DeepLink | undefined {
  const match = /^wasmforge:\/\/plugin\/([^@/?#\s]+)(?:@([^/?#\s]+))?\/?$/.exec(url.slice(0, 300));
  const [, name, version] = match ?? [];
  if (!name || !PLUGIN_NAME_PATTERN.test(name) || (version !== undefined && !SEMVER_PATTERN.test(version))) return undefined;
  return version ? { name, version } : { name };
}

/** The link a second start of the app was given (Windows and Linux pass it on the command line). */
export function deepLinkIn(argv: readonly string[]): DeepLink | undefined {
  for (const arg of argv) {
    if (arg.startsWith(`${DEEP_LINK_SCHEME}://`)) return pluginFromDeepLink(arg);
  }
  return undefined;
}

/** The page's address for a link: the renderer opens `#/marketplace/<name>[@<version>]` (links.ts there). */
export function hashFor(link: DeepLink): string {
  return `#/marketplace/${link.name}${link.version ? `@${link.version}` : ''}`;
}

interface ProtocolApp {
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
  on(event: 'open-url', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
}

/**
 * Registers the scheme with the system (an unpackaged dev run names itself with its script) and
 * hands macOS's `open-url` links to `open`; Windows and Linux start a second instance instead,
 * whose command line the first reads (deepLinkIn).
 */
export function registerDeepLinks(app: ProtocolApp, open: (link: DeepLink) => void, dev = { defaultApp: Boolean(process.defaultApp), script: process.argv[1] }): void {
  if (dev.defaultApp && dev.script) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(dev.script)]);
  else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = pluginFromDeepLink(url);
    if (link) open(link);
  });
}
