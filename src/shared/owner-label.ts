import type { InstalledPluginView, MarketCard } from './api/schemas/marketplace.ts';

/** What a plugin's card and page say when the local marketplace's author set no display name: it is this machine's user. */
export const LOCAL_OWNER = 'you';

type Owner = Pick<MarketCard, 'ownerName' | 'ownerRole'>;

/** The owner's name as people read it: their display name, else their database role (else, on the local marketplace, `you`). */
export function ownerName(card: Owner): string {
  return card.ownerName ?? card.ownerRole ?? LOCAL_OWNER;
}

/**
 * The owner in one line (the CLI's `search` and install consent): the display name with the role
 * beside it on a shared marketplace, `Ada (ada)`; the name alone on the local one, whose role
 * (PGlite's `postgres`) names nobody.
 */
export function ownerLabel(card: Owner): string {
  return card.ownerName && card.ownerRole ? `${card.ownerName} (${card.ownerRole})` : ownerName(card);
}

/** " (you)" after an owner this machine signs for, unless the name shown says so already (the local marketplace's `you`). */
export function youToo(card: Owner & Pick<MarketCard, 'mine'>): string {
  return card.mine && ownerName(card) !== LOCAL_OWNER ? ' (you)' : '';
}

/** What an imported plugin's owner is: a bundle names one, but nothing checked it. */
export const UNKNOWN_OWNER = 'unknown';

/**
 * An installed copy's owner (`wasmforge list`), by the same rule as its card: the local marketplace's
 * owner is this machine's user (their display name, or `you`), a shared one's their role; a bundle's
 * claimed owner is never believed.
 */
export function installedOwnerLabel(plugin: Pick<InstalledPluginView, 'origin' | 'ownerName' | 'ownerRole'>): string {
  return plugin.origin === 'bundle' ? UNKNOWN_OWNER : ownerLabel(plugin);
}
