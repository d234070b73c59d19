import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { buildCompileArgs } from './args.ts';
import { aotCachePaths, isAotCacheValid, sha256File, tryAotLock, writeAotMeta, type AotCachePaths, type AotSource } from './aot-cache.ts';

export type AotState =
  | { kind: 'idle' }
  | { kind: 'waiting'; detail: string }
  | { kind: 'compiling'; since: number }
  | { kind: 'ready'; modulePath: string }
  | { kind: 'failed'; reason: string };

/** Turns python.wasm into native code at `output`; rejects with a readable reason. */
export type CompileFn = (input: string, output: string, signal: AbortSignal) => Promise<void>;

export interface AotCompilerOptions {
  binary: string;
  version: string;
  pythonWasm: string;
  dataHome: string;
  /** Injected in tests of the cache protocol; the real one runs `wasmedge compile`. */
  compile?: CompileFn;
  /** How often to look again while another process holds the compile lock. */
  pollMs?: number;
  onReady?: (modulePath: string) => void;
}

/**
 * Compiles python.wasm once per WasmEdge version, in the background (minutes, ~2 GB of memory),
 * into the data folder: through a temporary file and a rename, so a half-written module is never
 * used, under a lock file, so two app instances never compile at the same time.
 */
export class AotCompiler {
  private current: AotState = { kind: 'idle' };
  private readonly abort = new AbortController();
  private running?: Promise<void>;
  private markChecked!: () => void;
  /** Settles once the cache has been looked at: a valid module is then `ready` without any compile. */
  readonly checked = new Promise<void>((resolve) => { this.markChecked = resolve; });
  readonly paths: AotCachePaths;

  constructor(private readonly options: AotCompilerOptions) {
    this.paths = aotCachePaths(options.dataHome, options.version);
  }

  get state(): AotState {
    return this.current;
  }

  /** Starts the work once; later calls do nothing. */
  start(): void {
    this.running ??= this.run().catch((error: unknown) => {
      if (!this.abort.signal.aborted) this.current = { kind: 'failed', reason: String((error as Error)?.message ?? error) };
    }).finally(() => this.markChecked());
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const source: AotSource = { wasmedgeVersion: this.options.version, sourceSha256: await sha256File(this.options.pythonWasm) };
    await mkdir(this.paths.dir, { recursive: true });
    while (!signal.aborted) {
      if (await isAotCacheValid(this.paths, source)) return this.becomeReady();
      this.markChecked();
      const lock = await tryAotLock(this.paths.lock);
      if (!lock) {
        this.current = { kind: 'waiting', detail: 'another WasmForge process is compiling python.wasm' };
        await sleep(this.options.pollMs ?? 10_000, undefined, { signal }).catch(() => undefined);
        continue;
      }
      try {
        if (await isAotCacheValid(this.paths, source)) return this.becomeReady();
        this.current = { kind: 'compiling', since: Date.now() };
        await this.compileInto(source, signal);
        return;
      } finally {
        await lock.release();
      }
    }
  }

  private async compileInto(source: AotSource, signal: AbortSignal): Promise<void> {
    // Ends in .wasm: WasmEdge picks its output format from the extension (.so/.dylib/.dll = native library).
    const temporary = `${this.paths.module}.${process.pid}.${randomBytes(4).toString('hex')}.tmp.wasm`;
    try {
      await (this.options.compile ?? compileWithWasmEdge(this.options.binary))(this.options.pythonWasm, temporary, signal);
      if (signal.aborted) return;
      const { size } = await stat(temporary);
      if (size === 0) throw new Error('wasmedge compile produced an empty file');
      // Record last: a module without its record is ignored, so a crash here costs a recompile, never a bad run.
      await rm(this.paths.meta, { force: true });
      await rename(temporary, this.paths.module);
      await writeAotMeta(this.paths, source, size);
      this.becomeReady();
    } finally {
      await rm(temporary, { force: true });
    }
  }

  private becomeReady(): void {
    this.current = { kind: 'ready', modulePath: this.paths.module };
    this.options.onReady?.(this.paths.module);
  }
}

const COMPILE_TIMEOUT_MS = 60 * 60 * 1000;
const KEPT_OUTPUT_CHARS = 2000;

/** `wasmedge compile --interruptible in out`, at low priority so that the app stays responsive. */
export function compileWithWasmEdge(binary: string): CompileFn {
  return async (input, output, signal) => {
    const subprocess = execa(binary, buildCompileArgs(input, output), {
      env: {}, extendEnv: false, stdin: 'ignore', buffer: false, reject: false, windowsHide: true,
      cleanup: true, cancelSignal: signal, timeout: COMPILE_TIMEOUT_MS, forceKillAfterDelay: 2000,
    });
    if (subprocess.pid !== undefined) {
      try { setPriority(subprocess.pid, 15); } catch { /* not allowed here: run at normal priority */ }
    }
    let tail = '';
    const keep = (chunk: Buffer): void => { tail = (tail + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS); };
    subprocess.stdout?.on('data', keep);
    subprocess.stderr?.on('data', keep);
    const result = await subprocess;
    if (result.failed) {
      const why = result.isCanceled ? 'cancelled' : result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal ?? '?'}`;
      throw new Error(`wasmedge compile failed (${why})${tail.trim() ? `: ${tail.trim()}` : ''}`);
    }
  };
}
