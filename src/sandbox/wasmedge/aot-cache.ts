import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { hostname } from 'node:os';
import { open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The AOT-compiled python.wasm lives in the data folder, one per WasmEdge version:
 * <dataHome>/cache/wasmedge/<version>/python-aot.wasm, with a small JSON record beside it that
 * says what it was compiled from. A file without a matching record is never used.
 */
export interface AotCachePaths {
  dir: string;
  module: string;
  meta: string;
  lock: string;
}

export function aotCachePaths(dataHome: string, wasmedgeVersion: string): AotCachePaths {
  // The version came from semver.valid, but a path segment must never climb out of the cache.
  const safeVersion = wasmedgeVersion.replace(/[^0-9A-Za-z.+-]/g, '_').replace(/^\.+/, '_');
  const dir = join(dataHome, 'cache', 'wasmedge', safeVersion);
  return { dir, module: join(dir, 'python-aot.wasm'), meta: join(dir, 'python-aot.json'), lock: join(dir, 'python-aot.lock') };
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

export async function writeAotMeta(paths: AotCachePaths, source: AotSource, moduleBytes: number): Promise<void> {
  const meta: AotMeta = { format: 1, ...source, flags: [...AOT_FLAGS], moduleBytes, compiledAt: new Date().toISOString() };
  // Written whole, then renamed into place: a torn record reads as no record, and the module is compiled again.
  const temporary = `${paths.meta}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(meta, null, 2)}\n`);
  await rename(temporary, paths.meta);
}

function sameFlags(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((flag, i) => flag === b[i]);
}

const lockSchema = z.object({ pid: z.number().int(), host: z.string(), startedAt: z.number() });

export interface AotLock {
  release(): Promise<void>;
}

export interface LockOptions {
  /** A lock older than this is taken over whatever it says (a compile takes minutes, not hours). */
  staleAfterMs?: number;
  now?: () => number;
}

/**
 * One compile at a time across every WasmForge process of this user: the lock file is created
 * exclusively. A lock left by a dead process on this machine, an unreadable one, or one older
 * than staleAfterMs is taken over. Returns undefined when another live process holds it.
 */
export async function tryAotLock(lockPath: string, options: LockOptions = {}): Promise<AotLock | undefined> {
  const now = options.now ?? Date.now;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), startedAt: now() }));
      } finally {
        await handle.close();
      }
      return { release: () => rm(lockPath, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!(await isLockStale(lockPath, options.staleAfterMs ?? 2 * 60 * 60 * 1000, now()))) return undefined;
    await rm(lockPath, { force: true });
  }
  return undefined;
}

async function isLockStale(lockPath: string, staleAfterMs: number, now: number): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch {
    return true; // gone in the meantime: take it
  }
  const parsed = lockSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    // Possibly being written this very moment: judge by age instead.
    const { mtimeMs } = await stat(lockPath).catch(() => ({ mtimeMs: 0 }));
    return now - mtimeMs > 60_000;
  }
  const lock = parsed.data;
  if (now - lock.startedAt > staleAfterMs) return true;
  return lock.host === hostname() && !isProcessAlive(lock.pid);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
