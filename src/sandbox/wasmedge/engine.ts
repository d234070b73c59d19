import { randomBytes } from 'node:crypto';
import { guestSpecSchema, type Engine, type EngineStatus, type Guest, type GuestHandlers, type GuestSpec } from '../engine.ts';
import { guestArgv } from '../guest-code.ts';
import type { SandboxResources } from '../resources.ts';
import { WasmForgeError } from '../../shared/errors.ts';
import type { AotStatus } from '../../shared/api/schemas/system.ts';
import { AotCompiler, trialRun, type AotState, type VerifyModule } from './aot-compiler.ts';
import { launchWasmEdgeCompile, type LaunchCompile } from './aot-job.ts';
import { buildCompileArgs, buildRunArgs, wasmedgeTimeLimitMs, type RunMode } from './args.ts';
import { discoverWasmEdge, needsRunModeFlag, type Discovery, type WasmEdgeBinary } from './binary.ts';
import { WasmEdgeGuest } from './guest-process.ts';
import { WarmPool } from './pool.ts';

export interface WasmEdgeEngineOptions {
  resources: SandboxResources;
  /** The data folder; the AOT cache goes in <dataHome>/cache/wasmedge/. None given: no AOT cache (the interpreter serves). */
  dataHome?: string;
  /** Guests started ahead (each is a process of 180–300 MB). Default 1; 0 turns the pool off. */
  warmPoolSize?: number;
  /** Compile python.wasm to native code in the background (a detached job; see aot-job.ts). Default true. */
  aot?: boolean;
  /** Environment used to find the binary (WASMFORGE_WASMEDGE, PATH); never passed to the guest. */
  env?: NodeJS.ProcessEnv;
  /** Longest CPython start-up before the guest counts as failed. Default 60 s (interpreter on a busy machine). */
  startupTimeoutMs?: number;
  /** A warm guest older than this is replaced. Default 10 min. */
  poolIdleMaxMs?: number;
  /** The host kills a handed-out guest at its wall time plus this, whatever WasmEdge's own clock says. */
  backstopGraceMs?: number;
  /** Only for tests of the cache protocol: what starts the detached compile, and the trial run of its output. */
  launchCompile?: LaunchCompile;
  verifyAot?: VerifyModule;
  /** How often a compile under way is looked at. Default 5 s. */
  aotPollMs?: number;
}

const UNAVAILABLE_HINT = 'Install WasmEdge (https://wasmedge.org) and put `wasmedge` on PATH, or set WASMFORGE_WASMEDGE to its path; the embedded engine needs nothing.';

/** Runs python.wasm in a `wasmedge` process per run, behind the same Engine interface as the embedded engine. */
export class WasmEdgeEngine implements Engine {
  readonly name = 'wasmedge' as const;
  private discovery?: Promise<Discovery>;
  private binary?: WasmEdgeBinary;
  private aot?: AotCompiler;
  private aotBroken?: string;
  private argv?: string[];
  private readonly active = new Set<WasmEdgeGuest>();
  private readonly pool: WarmPool<WasmEdgeGuest>;
  private closed = false;
  private readonly startupTimeoutMs: number;
  private readonly poolIdleMaxMs: number;

  constructor(private readonly options: WasmEdgeEngineOptions) {
    this.startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
    this.poolIdleMaxMs = options.poolIdleMaxMs ?? 10 * 60_000;
    this.pool = new WarmPool<WasmEdgeGuest>({
      size: options.warmPoolSize ?? 1,
      idleMaxMs: this.poolIdleMaxMs,
      keyOf: poolKey,
      launch: (spec) => this.launch(spec, this.poolIdleMaxMs),
    });
  }

  async status(): Promise<EngineStatus> {
    const discovery = await this.discover();
    if (!discovery.found) return { available: false, reason: discovery.reason };
    // Looking costs a hash of python.wasm, never a compile: Settings and the doctor follow one
    // started by any process (a run, `wasmforge engines prepare`, another app instance).
    const aot = this.aotCompiler();
    aot?.follow();
    await aot?.checked;
    const status = aotStatus(this.options.aot === false ? undefined : aot?.state, this.aotBroken);
    return { available: true, version: discovery.binary.version, detail: `${discovery.binary.path} (${discovery.binary.source}); ${status.message}`, aot: status };
  }

  /** Starts the AOT compile now (detached; a recorded failure is tried again) and says where it stands. */
  async prepare(): Promise<EngineStatus> {
    await this.requireBinary();
    if (this.options.aot === false || !this.options.dataHome) {
      throw new WasmForgeError('ENGINE_UNAVAILABLE', 'AOT compilation is turned off for this WasmEdge engine');
    }
    this.aotBroken = undefined;
    this.aotCompiler()?.start({ retryFailure: true });
    return this.status();
  }

  async acquire(spec: GuestSpec, handlers: GuestHandlers, signal?: AbortSignal): Promise<Guest> {
    const checked = parseSpec(spec);
    await this.requireBinary();
    if (signal?.aborted) throw cancelled();
    await this.startAot();
    let guest = this.pool.take(checked) ?? this.launch(checked, 0);
    try {
      await waitForReady(guest, signal);
    } catch (error) {
      guest.kill();
      if (signal?.aborted || this.closed || guest.plan.mode !== 'aot') throw error;
      // A compiled module that cannot start (damaged, or built for another CPU): interpret from now on.
      this.aotBroken = (error as Error).message;
      this.pool.renew();
      guest = this.launch(checked, 0);
      await waitForReady(guest, signal).catch((retryError: unknown) => { guest.kill(); throw retryError; });
    }
    guest.attach(handlers, checked);
    return guest;
  }

  prewarm(spec: GuestSpec): void {
    if (this.closed) return;
    const checked = parseSpec(spec);
    void this.discover().then(async (discovery) => {
      if (!discovery.found || this.closed) return;
      await this.startAot();
      if (!this.closed) this.pool.prewarm(checked);
    }).catch(() => { /* prewarming is best effort; acquire reports any problem */ });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pool.close();
    for (const guest of this.active) guest.kill();
    await Promise.all([...this.active].map((guest) => guest.exited));
    await this.aot?.close();
  }

  private discover(): Promise<Discovery> {
    this.discovery ??= discoverWasmEdge({ wasmedgeDir: this.options.resources.wasmedgeDir, env: this.options.env })
      .then((discovery) => {
        if (discovery.found) this.binary = discovery.binary;
        return discovery;
      });
    return this.discovery;
  }

  private async requireBinary(): Promise<WasmEdgeBinary> {
    if (this.closed) throw new WasmForgeError('ENGINE_UNAVAILABLE', 'The WasmEdge engine is closed');
    const discovery = await this.discover();
    if (!discovery.found) throw new WasmForgeError('ENGINE_UNAVAILABLE', discovery.reason, { hint: UNAVAILABLE_HINT });
    return discovery.binary;
  }

  /**
   * Starts the background AOT compile on first real use (not on status: it costs ~2 GB for
   * minutes). The compile is detached: it goes on when this run, command or app ends, so a CLI
   * run never starts a compile that it then kills. Waits only for the cache check (a hash of
   * python.wasm), so that a module compiled earlier serves the very first run.
   */
  private async startAot(): Promise<void> {
    const aot = this.aotCompiler();
    aot?.start();
    await aot?.checked;
  }

  private aotCompiler(): AotCompiler | undefined {
    const binary = this.binary;
    if (this.options.aot === false || !this.options.dataHome || !binary || this.closed) return undefined;
    this.aot ??= new AotCompiler({
      version: binary.version,
      pythonWasm: this.options.resources.pythonWasm,
      dataHome: this.options.dataHome,
      launch: this.options.launchCompile ?? launchWasmEdgeCompile(binary.path, buildCompileArgs),
      verify: this.options.verifyAot ?? trialRun(binary.path, needsRunModeFlag(binary.version) ? ['--run-mode', 'aot'] : []),
      pollMs: this.options.aotPollMs,
      onReady: () => this.pool.renew(),
    });
    return this.aot;
  }

  private runTarget(): { mode: RunMode; modulePath: string } {
    const state = this.aot?.state;
    if (state?.kind === 'ready' && !this.aotBroken) return { mode: 'aot', modulePath: state.modulePath };
    return { mode: 'interpreter', modulePath: this.options.resources.pythonWasm };
  }

  private launch(spec: GuestSpec, idleMs: number): WasmEdgeGuest {
    const binary = this.binary;
    if (!binary) throw new WasmForgeError('ENGINE_UNAVAILABLE', 'WasmEdge was not found');
    const { mode, modulePath } = this.runTarget();
    const timeLimitMs = wasmedgeTimeLimitMs({ wallTimeMs: spec.wallTimeMs, startupMs: this.startupTimeoutMs, idleMs });
    this.argv ??= guestArgv(this.options.resources.sdkDir);
    // The runner's argv[1]: the mark of its frames on fd 2 should the plugin close fd 1 (stderr-frames.ts).
    const frameMark = randomBytes(16).toString('hex');
    const args = buildRunArgs({
      modulePath, mode, runModeFlag: needsRunModeFlag(binary.version),
      memoryPages: spec.memoryPages, timeLimitMs, guestArgv: [...this.argv, frameMark],
    });
    const guest = new WasmEdgeGuest(
      { binary: binary.path, args, mode, timeLimitMs, key: poolKey(spec), frameMark },
      { startupTimeoutMs: this.startupTimeoutMs, backstopGraceMs: this.options.backstopGraceMs ?? 2000 },
    );
    this.active.add(guest);
    void guest.exited.then(() => this.active.delete(guest));
    return guest;
  }
}

function poolKey(spec: GuestSpec): string {
  return `${spec.memoryPages}:${spec.wallTimeMs}`;
}

function parseSpec(spec: GuestSpec): GuestSpec {
  const parsed = guestSpecSchema.safeParse(spec);
  if (!parsed.success) throw new WasmForgeError('BAD_INPUT', `Invalid sandbox limits for WasmEdge: ${parsed.error.message}`);
  return parsed.data;
}

function cancelled(): WasmForgeError {
  return new WasmForgeError('CANCELLED', 'The run was cancelled before the WasmEdge guest was ready');
}

function waitForReady(guest: WasmEdgeGuest, signal?: AbortSignal): Promise<void> {
  if (!signal) return guest.ready;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    guest.ready.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Where the AOT compile stands, for Settings, the doctor and the bench (undefined: turned off). */
export function aotStatus(state: AotState | undefined, broken?: string): AotStatus {
  if (!state) return { state: 'off', message: 'interpreter (AOT turned off)' };
  if (broken) return { state: 'failed', message: `interpreter (the AOT module failed to start: ${broken})` };
  switch (state.kind) {
    case 'idle':
    case 'absent':
      return { state: 'absent', message: 'interpreter; python.wasm is compiled to native code (AOT) in the background from the first run, or now with `wasmforge engines prepare`' };
    case 'compiling':
      return {
        state: 'compiling', percent: state.percent, phase: state.phase, since: state.since,
        message: `interpreter until the AOT compile finishes (${state.percent}%, ${state.phase}, running for ${Math.round((Date.now() - state.since) / 1000)} s)`,
      };
    case 'ready':
      return { state: 'ready', percent: 100, message: `AOT (native code, ${state.modulePath})` };
    case 'failed':
      return { state: 'failed', message: `interpreter (AOT compile failed: ${state.reason}); \`wasmforge engines prepare\` tries again` };
  }
}
