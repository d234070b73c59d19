import { WasmForgeError } from '../shared/errors.ts';
import type { SqlQueryable } from '../marketplace/db/executor.ts';

/**
 * The author key pinned for each installed plugin name, kept apart from the copy: a copy rewritten
 * with other code signed by another key is self-consistent, and only the pin tells it apart, so it
 * is checked before every run. Pins come only through installs: a key from a bundle (verified
 * against nothing) never replaces one a marketplace vouched for, a marketplace key replaces a
 * bundle's, and any other change of key needs trustNewKey. Uninstalling keeps the pin.
 */
type PinSource = 'marketplace' | 'bundle';

export interface KeyPin {
  publicKey: string;
  fingerprint: string;
  source: PinSource;
}

interface Incoming {
  name: string;
  publicKey: string;
  fingerprint: string;
  source: PinSource;
}

export async function readPin(db: SqlQueryable, name: string): Promise<KeyPin | null> {
  const [row] = await db.query<{ public_key: string; fingerprint: string; source: PinSource }>(
    'SELECT public_key, fingerprint, source FROM library.key_pins WHERE name = $1', [name]);
  return row ? { publicKey: row.public_key, fingerprint: row.fingerprint, source: row.source } : null;
}

/** Throws TAMPERED when `incoming` may not take the place of the pinned key. */
export function assertMayPin(incoming: Incoming, pin: KeyPin | null, trustNewKey: boolean): void {
  if (!pin || pin.fingerprint === incoming.fingerprint) return;
  if (incoming.source === 'marketplace' && pin.source === 'bundle') return;
  if (incoming.source === 'bundle' && pin.source === 'marketplace') {
    throw new WasmForgeError('TAMPERED', `${incoming.name} is pinned to ${pin.fingerprint}, a key its marketplace vouched for; ` +
      `this bundle is signed by ${incoming.fingerprint}`, {
      hint: 'A bundle is verified against no marketplace, so it can never replace a marketplace key. Install from the marketplace instead.',
    });
  }
  if (!trustNewKey) {
    throw new WasmForgeError('TAMPERED', `${incoming.name} is now signed by ${incoming.fingerprint}, not ${pin.fingerprint} as before`, {
      hint: 'If the author really changed keys, reinstall with --trust-new-key; otherwise someone else signed this code.',
    });
  }
}

/** Pins the key of a copy just saved; the same key seen in a bundle keeps its marketplace standing. */
export async function writePin(db: SqlQueryable, incoming: Incoming): Promise<void> {
  await db.query(`INSERT INTO library.key_pins (name, public_key, fingerprint, source) VALUES ($1, $2, $3, $4)
    ON CONFLICT (name) DO UPDATE SET public_key = EXCLUDED.public_key, fingerprint = EXCLUDED.fingerprint, pinned_at = now(),
      source = CASE WHEN library.key_pins.fingerprint = EXCLUDED.fingerprint AND library.key_pins.source = 'marketplace'
        THEN 'marketplace' ELSE EXCLUDED.source END`,
  [incoming.name, incoming.publicKey, incoming.fingerprint, incoming.source]);
}

/** Before a run: the copy must be signed by the key pinned for its name (verifySigned checked the rest). */
export function assertPinned(copy: { name: string; version: string; fingerprint: string }, pin: KeyPin | null): void {
  if (pin?.fingerprint === copy.fingerprint) return;
  throw new WasmForgeError('TAMPERED', `${copy.name}@${copy.version} is signed by ${copy.fingerprint}, ` +
    (pin ? `not by ${pin.fingerprint}, the key pinned when it was installed` : 'and no key was pinned when it was installed'), {
    hint: 'Do not run it. Reinstall it from the marketplace or a bundle you trust.',
  });
}
