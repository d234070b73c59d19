import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import {
  aotCachePaths, clearAotFailure, isAotCacheValid, readAotFailure, sha256File, writeAotFailure, writeAotMeta,
  type AotCachePaths, type AotSource,
} from './aot-cache.ts';
import { claimEndedJob, lookAtJob, readCompileLog, startJob, type AotJob, type LaunchCompile } from './aot-job.ts';
import { compileProgress } from './aot-progress.ts';

export type AotState =
  | { kind: 'idle' }
  /** No module and no compile under way: a run, or `wasmforge engines prepare`, starts one. */
  | { kind: 'absent' }
  | { kind: 'compiling'; since: number; percent: number; phase: string }
  | { kind: 'ready'; modulePath: string }
  | { kind: 'failed'; reason: string };

/** Proves that a compiled module runs (a trial run); rejects with the reason. */
export type VerifyModule = (modulePath: string) => Promise<void>;

export interface AotCompilerOptions {
  version: string;
  pythonWasm: string;
  dataHome: string;
  launch: LaunchCompile;
  verify: VerifyModule;
  /** How often a compile under way is looked at. */
  pollMs?: number;
  onReady?: (modulePath: string) => void;
}

/**
 * Keeps python.wasm compiled to native code, once per WasmEdge version, in the data folder. The
 * compile is a detached job (aot-job.ts): it goes on when the run, command or app that started it
 * ends, and whichever WasmForge process looks next adopts its output, after a trial run, by a
 * rename (a half-written module is never used). Nothing here counts against any run's limits.
 */
export class AotCompiler {
  private current: AotState = { kind: 'idle' };
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private mayStart = false;
  private retryFailure = false;
  private interruptions = 0;
  private source?: Promise<AotSource>;
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

  /** Follows the cache and any compile under way (started by any process), never starting one. */
  follow(): void {
    this.kick();
  }

  /** Also starts the compile when there is none; `retryFailure` first forgets a recorded failure. */
  start(options: { retryFailure?: boolean } = {}): void {
    this.mayStart = true;
    if (options.retryFailure) this.retryFailure = true;
    this.kick();
  }

  /** Stops looking; a compile under way goes on, and the next process to look adopts it. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private kick(): void {
    if (this.loop || this.abort.signal.aborted) return;
    this.loop = this.run().catch((error: unknown) => {
      if (!this.abort.signal.aborted) this.current = { kind: 'failed', reason: String((error as Error)?.message ?? error) };
    }).finally(() => {
      this.loop = undefined;
      this.markChecked();
      const wanted = (this.mayStart && this.current.kind === 'absent') || (this.retryFailure && this.current.kind === 'failed');
      if (wanted) this.kick();
    });
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    this.source ??= sha256File(this.options.pythonWasm).then((sourceSha256) => ({ wasmedgeVersion: this.options.version, sourceSha256 }));
    const source = await this.source;
    await mkdir(this.paths.dir, { recursive: true });
    while (!signal.aborted) {
      if (await isAotCacheValid(this.paths, source)) return this.becomeReady();
      const look = await lookAtJob(this.paths);
      // Runs wait for this first look only, never for a compile.
      this.markChecked();
      if (look.kind === 'running' || look.kind === 'starting') {
        await this.showProgress(look.kind === 'running' ? look.job.startedAt : Date.now());
        await sleep(this.options.pollMs ?? 5000, undefined, { signal }).catch(() => undefined);
      } else if (look.kind === 'ended') {
        await this.adopt(look.job, source);
      } else if (!(await this.startIfAllowed())) {
        return;
      }
    }
  }

  /** No job: starts one if allowed; false when this turn ends here (absent, or a recorded failure). */
  private async startIfAllowed(): Promise<boolean> {
    if (this.retryFailure) {
      this.retryFailure = false;
      this.interruptions = 0;
      await clearAotFailure(this.paths);
    }
    const failure = await readAotFailure(this.paths);
    if (failure !== undefined) {
      this.current = { kind: 'failed', reason: failure };
      return false;
    }
    if (!this.mayStart) {
      this.current = { kind: 'absent' };
      return false;
    }
    this.current = { kind: 'compiling', since: Date.now(), percent: 0, phase: 'starting' };
    await startJob(this.paths, this.options.pythonWasm, this.options.launch);
    return true;
  }

  private async showProgress(since: number): Promise<void> {
    const progress = compileProgress(await readCompileLog(this.paths), Date.now() - since);
    this.current = { kind: 'compiling', since, ...progress };
  }

  /** A job whose process is gone: its output becomes the cache after a trial run, or the failure is recorded. */
  private async adopt(job: AotJob | undefined, source: AotSource): Promise<void> {
    const claim = await claimEndedJob(this.paths);
    if (!claim) {
      await sleep(200); // another process is adopting it
      return;
    }
    try {
      const size = job ? (await stat(job.output).catch(() => undefined))?.size ?? 0 : 0;
      if (!job || size === 0) return await this.noOutput();
      try {
        await this.options.verify(job.output);
      } catch (error) {
        return await writeAotFailure(this.paths, `the compiled module did not run: ${(error as Error).message}`);
      }
      const { mtimeMs } = await stat(job.output);
      await rm(this.paths.meta, { force: true });
      await rename(job.output, this.paths.module);
      // Record last: a module without its record is ignored, so a crash here costs a compile, never a bad run.
      await writeAotMeta(this.paths, source, size, Math.max(0, Math.round(mtimeMs - job.startedAt)));
    } finally {
      if (job) await rm(job.output, { force: true });
      await claim.done();
    }
  }

  /** WasmEdge said why (an [error] line): recorded. Otherwise it was stopped from outside: started again, once. */
  private async noOutput(): Promise<void> {
    const log = await readCompileLog(this.paths);
    const error = /\[(?:error|critical)\] (.*)/.exec(log)?.[1]?.trim();
    if (error !== undefined) return writeAotFailure(this.paths, `wasmedge compile failed: ${error}`);
    if (++this.interruptions > 1) return writeAotFailure(this.paths, 'wasmedge compile ended twice without writing a module (out of memory?)');
  }

  private becomeReady(): void {
    this.current = { kind: 'ready', modulePath: this.paths.module };
    this.options.onReady?.(this.paths.module);
  }
}

/** Runs the compiled module once (`print(6 * 7)`): a damaged file, or one for another CPU, fails here and not in a run. */
export function trialRun(binary: string, runModeArgs: readonly string[]): VerifyModule {
  return async (modulePath) => {
    const result = await execa(binary, [...runModeArgs, modulePath, '-S', '-I', '-c', 'print(6 * 7)'], {
      env: {}, extendEnv: false, reject: false, stdin: 'ignore', timeout: 120_000, maxBuffer: 1 << 20, windowsHide: true,
    });
    const said = String(result.stdout ?? '');
    if (result.failed || !/^42$/m.test(said)) {
      throw new Error(`exit ${result.exitCode ?? result.signal ?? '?'}: ${`${said}\n${String(result.stderr ?? '')}`.trim().slice(-500)}`);
    }
  };
}
