import semver from 'semver';
import { WasmForgeError } from '../../shared/errors.ts';

/**
 * The one rule for a new version: it must be greater than every version of the plugin before it.
 * The database holds it on every write (the versions_only_go_up trigger, which names the newest
 * version in its DETAIL); the outbox and the publish dialog apply it first to what they can see,
 * so the refusal comes before anything is signed or sent, in the same words.
 */
export function assertVersionGreater(name: string, version: string, newest: string | null | undefined,
  newestIs = 'the latest published version'): void {
  if (newest && semver.valid(newest) && !semver.gt(version, newest)) {
    throw versionNotGreater(`${name}@${version} is not greater than ${newest}, ${newestIs}`, newest);
  }
}

/** The refusal; knowing the newest version, its hint names the next one (the publish dialog offers it as a fix). */
export function versionNotGreater(message: string, newest?: string | null, cause?: unknown): WasmForgeError {
  const next = newest && semver.valid(newest) ? semver.inc(newest, 'patch') : null;
  return new WasmForgeError('VERSION_NOT_GREATER', message, {
    hint: next ? `Raise "version" in plugin.json, e.g. to ${next}.` : 'Raise "version" in plugin.json.',
    details: { newest: newest && semver.valid(newest) ? newest : null, suggested: next },
    cause,
  });
}
