import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { findSandboxResources } from './resources.ts';

/**
 * Time-zone data for plugins (`zoneinfo.ZoneInfo("Europe/Paris")`): the guest has no files, so the
 * SDK's zoneinfo loader asks the host for one zone's TZif bytes at a time ('tz' request). The
 * data is sdk/tzdata.json.gz: the IANA database (public domain) as the `tzdata` wheel on PyPI
 * ships it, 598 zones, about 100 KiB on disk; read once per process, on the first request.
 */
interface TzdataFile {
  version: string;
  zones: Record<string, string>;
}

let loaded: TzdataFile | undefined;

function tzdata(): TzdataFile {
  loaded ??= JSON.parse(gunzipSync(readFileSync(join(findSandboxResources().sdkDir, 'tzdata.json.gz'))).toString('utf8')) as TzdataFile;
  return loaded;
}

/** One zone's TZif bytes (base64), or undefined for a key that is not a zone (a lookup in the data's own keys: no path is ever built from it). */
export function zoneData(key: unknown): string | undefined {
  if (typeof key !== 'string' || key.length > 100) return undefined;
  const { zones } = tzdata();
  // "zones" is the package's list of names (zoneinfo.available_timezones() reads it).
  if (key === 'zones') return Buffer.from(`${Object.keys(zones).join('\n')}\n`).toString('base64');
  return Object.hasOwn(zones, key) ? zones[key] : undefined;
}
