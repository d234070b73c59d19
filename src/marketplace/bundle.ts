import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { WasmForgeError } from '../shared/errors.ts';
import { writeFileAtomic } from '../library/atomic-write.ts';
import { verifySigned } from '../library/installed.ts';
import { signedVersionSchema, type SignedVersion } from './types.ts';

/**
 * Offline bundles: one JSON file (`.wfplugin`) holding a signed plugin version and its manifest,
 * for machines with no access to the marketplace. The signature covers code, manifest, name and
 * version; it is verified on import (TAMPERED when anything was changed). The `owner` it names is
 * not signed and is never believed: an imported plugin is shown as signed by its key's
 * fingerprint, not verified against a marketplace, and its key never replaces a marketplace one
 * (library/key-pins.ts).
 */
export const BUNDLE_EXTENSION = '.wfplugin';
const MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

export const bundleSchema = signedVersionSchema.extend({
  format: z.literal('wasmforge-plugin-bundle'),
  /** 2: a multi-file plugin (its `files`), which an app that predates them refuses as a bundle it cannot read rather than as TAMPERED. */
  formatVersion: z.union([z.literal(1), z.literal(2)]),
  /** Who published it, as the marketplace knew them; informational, the key is what is verified. */
  owner: z.string().min(1).max(128),
  exportedAt: z.string().max(40),
});
export type PluginBundle = z.infer<typeof bundleSchema>;

export function makeBundle(signed: SignedVersion, owner: string): PluginBundle {
  verifySigned(signed);
  const formatVersion = Object.keys(signed.files).length > 0 ? 2 : 1;
  return { format: 'wasmforge-plugin-bundle', formatVersion, owner, exportedAt: new Date().toISOString(), ...signed };
}

/** What an imported plugin shows as its owner: only what the signature proves. */
export function unverifiedOwner(fingerprint: string): string {
  return `signed by ${fingerprint}, not verified against a marketplace`;
}

export async function writeBundle(path: string, bundle: PluginBundle): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(bundle, null, 2) + '\n');
}

/** Reads, validates and verifies a bundle; never returns one whose signature does not hold. */
export async function readBundle(path: string): Promise<PluginBundle> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new WasmForgeError('NOT_FOUND', `${path} is not a file`);
  if (info.size > MAX_BUNDLE_BYTES) throw new WasmForgeError('BAD_INPUT', `${path} is too large to be a plugin bundle`);
  return parseBundle(await readFile(path, 'utf8'), path);
}

export function parseBundle(text: string, where = 'bundle'): PluginBundle {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new WasmForgeError('BAD_INPUT', `${where} is not a WasmForge bundle (not JSON)`);
  }
  const parsed = bundleSchema.safeParse(data);
  if (!parsed.success) {
    throw new WasmForgeError('BAD_INPUT', `${where} is not a valid WasmForge bundle:\n${z.prettifyError(parsed.error)}`);
  }
  verifySigned(parsed.data);
  return parsed.data;
}
