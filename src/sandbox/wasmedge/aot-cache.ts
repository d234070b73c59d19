import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The AOT-compiled python.wasm lives in the data folder, one per WasmEdge version:
 * <dataHome>/cache/wasmedge/<version>/python-aot.wasm, with a small JSON record beside it that
 * says what it was compiled from. A file without a matching record is never used.
 * <dataHome>/cache/wasmedge/ holds nothing else: removing it only costs a compile.
 */
export interface AotCachePaths {
  dir: string;
  module: string;
  meta: string;
  /** The compile under way (see aot-job.ts): which process, since when, writing where. */
  job: string;
  /** What the compile printed (WasmEdge logs its phases): progress and the reason of a failure. */
  log: string;
  failure: string;
}

export function aotCachePaths(dataHome: string, wasmedgeVersion: string): AotCachePaths {
  // The version came from semver.valid, but a path segment must never climb out of the cache.
  const safeVersion = wasmedgeVersion.replace(/[^0-9A-Za-z.+-]/g, '_').replace(/^\.+/, '_');
  const dir = join(dataHome, 'cache', 'wasmedge', safeVersion);
  const file = (suffix: string): string => join(dir, `python-aot${suffix}`);
  return { dir, module: file('.wasm'), meta: file('.json'), job: file('.job'), log: file('.log'), failure: file('.failed.json') };
}

/** Recorded with each module: one compiled with other flags (earlier builds used --interruptible) is compiled again. */
export const AOT_FLAGS: readonly string[] = [];

const aotMetaSchema = z.object({
  format: z.literal(1),
  wasmedgeVersion: z.string(),
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  flags: z.array(z.string()),
  moduleBytes: z.number().int().positive(),
  compiledAt: z.string(),
  /** How long the compile took, for the next one's progress estimate. */
  compileMs: z.number().nonnegative().optional(),
});
export type AotMeta = z.infer<typeof aotMetaSchema>;

export interface AotSource {
  wasmedgeVersion: string;
  sourceSha256: string;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** True when the cached module was compiled by this WasmEdge, from this python.wasm, with our flags, and is whole. */
export async function isAotCacheValid(paths: AotCachePaths, source: AotSource): Promise<boolean> {
  try {
    const meta = aotMetaSchema.parse(JSON.parse(await readFile(paths.meta, 'utf8')));
    const { size } = await stat(paths.module);
    return meta.wasmedgeVersion === source.wasmedgeVersion && meta.sourceSha256 === source.sourceSha256
      && sameFlags(meta.flags, AOT_FLAGS) && meta.moduleBytes === size;
  } catch {
    return false;
  }
}

export async function writeAotMeta(paths: AotCachePaths, source: AotSource, moduleBytes: number, compileMs?: number): Promise<void> {
  const meta: AotMeta = {
    format: 1, ...source, flags: [...AOT_FLAGS], moduleBytes, compiledAt: new Date().toISOString(), ...(compileMs !== undefined ? { compileMs } : {}),
  };
  // Written whole, then renamed into place: a torn record reads as no record, and the module is compiled again.
  const temporary = `${paths.meta}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(meta, null, 2)}\n`);
  await rename(temporary, paths.meta);
}

function sameFlags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((flag, i) => flag === b[i]);
}

const failureSchema = z.object({ reason: z.string(), at: z.string() });

/**
 * A compile that failed (an error, or an output that would not run) is recorded, so that runs do
 * not start a 2 GB compile again and again; `wasmforge engines prepare` clears it and tries again.
 */
export async function readAotFailure(paths: AotCachePaths): Promise<string | undefined> {
  try {
    return failureSchema.parse(JSON.parse(await readFile(paths.failure, 'utf8'))).reason;
  } catch {
    return undefined;
  }
}

export async function writeAotFailure(paths: AotCachePaths, reason: string): Promise<void> {
  await writeFile(paths.failure, `${JSON.stringify({ reason, at: new Date().toISOString() })}\n`);
}

export async function clearAotFailure(paths: AotCachePaths): Promise<void> {
  await rm(paths.failure, { force: true });
}
