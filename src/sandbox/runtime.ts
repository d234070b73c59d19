import { AiBroker } from '../ai/broker.ts';
import { TestAiProvider } from '../ai/test-provider.ts';
import { CODE_TOO_LARGE, codeFits } from '../shared/code-size.ts';
import { toErrorInfo, WasmForgeError, type ErrorInfo } from '../shared/errors.ts';
import type { ParsedRunRequest } from '../shared/api/schemas/runs.ts';
import { effectiveLimits, type LimitsRequester, type PartialLimits } from '../shared/limits.ts';
import { pluginFilesProblem, type PluginFiles } from '../shared/plugin-files.ts';
import type { EngineName, RunEvent, RunResult } from '../shared/run.ts';
import { RunBridge } from './bridge.ts';
import { EmbeddedEngine } from './embedded/engine.ts';
import type { Engine, EngineStatus, GuestSpec } from './engine.ts';
import type { GuestJob } from './guest-code.ts';
import { DEFAULT_LIMITS, memoryPages, type SandboxLimits } from './limits.ts';
import { findSandboxResources, type SandboxResources } from './resources.ts';
import { formatBytes } from './streams.ts';
import { unavailableEngine } from './unavailable-engine.ts';
import { createWasmEdgeEngine } from './wasmedge-loader.ts';

export interface SandboxRuntimeOptions {
  broker?: AiBroker;
  /**
   * Settings-level limits (the user's own; they may raise or lower the defaults). A getter is
   * asked at every run, so a limit changed or cleared in the settings applies to the next run.
   */
  limits?: PartialLimits | (() => PartialLimits | Promise<PartialLimits>);
  warmPoolSize?: number;
  defaultEngine?: EngineName;
  /** The data folder (engine caches live here: WasmEdge's AOT module, the embedded engine's memory image). */
  dataHome?: string;
  resources?: SandboxResources;
  /** Engines made elsewhere (tests, the app's own pool); the rest are made on first use. */
  engines?: Partial<Record<EngineName, Engine>>;
}

/**
 * One run as the sandbox takes it: the contract's own fields (runs.run's input, filename, engine
 * and limits) as they are, and what the caller resolved: the code (a stored plugin's), the
 * manifest's limits and models, the AI broker. `limits` are the run's own, over the settings';
 * they are resolved here, once, by effectiveLimits, for whoever `limitsBy` says asks.
 */
export interface RunRequest extends Partial<Pick<ParsedRunRequest, 'input' | 'filename' | 'engine' | 'limits'>> {
  code: string;
  /** A multi-file plugin's other files (modules it imports, data it reads), by relative path; never the entry. */
  files?: PluginFiles;
  /** The local owner (the default: this process's own code, the CLI) may raise the settings' limits; a caller over IPC or HTTP only lower them. */
  limitsBy?: LimitsRequester;
  /** From the plugin's manifest: can only lower. */
  manifestLimits?: PartialLimits;
  manifestModels?: string[];
  broker?: AiBroker;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

const FILENAME_PATTERN = /^[\w.-]{1,100}\.py$/;

/** Runs untrusted plugins: picks the engine, applies the limits, and always returns a RunResult. */
export class SandboxRuntime {
  private readonly engines = new Map<EngineName, Engine>();
  private readonly broker: AiBroker;

  constructor(private readonly options: SandboxRuntimeOptions = {}) {
    this.broker = options.broker ?? new AiBroker({ provider: new TestAiProvider() });
    for (const [name, engine] of Object.entries(options.engines ?? {})) this.engines.set(name as EngineName, engine);
  }

  /** Starts the default engine's warm pool now rather than on the first run. */
  prewarm(): void {
    const engine = this.engineFor(this.options.defaultEngine ?? 'embedded');
    void this.warmSpec().then((spec) => engine?.prewarm?.(spec));
  }

  /** Settles when the default engine has a warm sandbox waiting (prewarming it if needed). */
  async whenWarm(): Promise<void> {
    await this.engineFor(this.options.defaultEngine ?? 'embedded')?.whenWarm?.(await this.warmSpec());
  }

  run(request: RunRequest): Promise<RunResult> {
    return this.execute(request, 'run');
  }

  private async execute(request: RunRequest, mode: 'run' | 'check'): Promise<RunResult> {
    const started = performance.now();
    const engineName = request.engine ?? this.options.defaultEngine ?? 'embedded';
    const fail = (error: ErrorInfo): RunResult => ({
      ok: false, output: '', logs: '', error, aiCalls: [], durationMs: elapsedMs(started), engine: engineName,
    });
    const resolved = await this.limitsFor(request);
    if ('error' in resolved) return fail(resolved.error);
    const { limits } = resolved;
    const problem = validateRequest(request, limits);
    if (problem) return fail(problem);
    const engine = this.engineFor(engineName);
    if (!engine) return fail({ code: 'ENGINE_UNAVAILABLE', message: `Unknown engine "${engineName}"` });

    const controller = new AbortController();
    const cancel = () => controller.abort();
    request.signal?.addEventListener('abort', cancel, { once: true });
    // A cancel that came before the run began (say, between the UI's Run and the engine) still counts.
    if (request.signal?.aborted) cancel();
    const session = (request.broker ?? this.broker).openSession({
      limits, manifestModels: request.manifestModels, signal: controller.signal, onEvent: request.onEvent,
    });
    const bridge = new RunBridge(limits, session, request.onEvent);
    let timer: NodeJS.Timeout | undefined;
    let computeTimer: { stop(): void } | undefined;
    try {
      const guest = await engine.acquire(guestSpec(limits), bridge.handlers, controller.signal);
      request.onEvent?.({ type: 'started', engine: engineName });
      const computeStarted = performance.now();
      timer = setTimeout(() => bridge.fail('TIMEOUT', `The plugin ran longer than ${limits.wallTimeMs / 1000} s`), limits.wallTimeMs);
      computeTimer = watchComputeTime(limits.computeTimeMs, computeStarted, () => session.waitingMs, (message) => bridge.fail('COMPUTE_LIMIT', message));
      controller.signal.addEventListener('abort', () => bridge.fail('CANCELLED', 'The run was cancelled'), { once: true });
      if (controller.signal.aborted) bridge.fail('CANCELLED', 'The run was cancelled');
      bridge.start(guest, guestJob(request, mode, limits));
      const outcome = await bridge.finished;
      const result: RunResult = {
        ok: outcome.error === null,
        output: outcome.output,
        logs: outcome.logs,
        error: outcome.error,
        aiCalls: session.records,
        durationMs: elapsedMs(started),
        engine: engineName,
        ...(outcome.memoryBytes ? { memoryBytes: outcome.memoryBytes } : {}),
      };
      // No event carries the result: it travels once, as the run's return value.
      return result;
    } catch (error) {
      return fail(error instanceof WasmForgeError ? error.toInfo() : { code: 'ENGINE_CRASHED', message: String(error) });
    } finally {
      clearTimeout(timer);
      computeTimer?.stop();
      controller.abort();
      request.signal?.removeEventListener('abort', cancel);
    }
  }

  /** Compiles the code in the sandbox without running it: SYNTAX_ERROR info, or null when it parses. */
  async checkSyntax(code: string, filename = 'plugin.py'): Promise<ErrorInfo | null> {
    const result = await this.execute({ code, filename, limits: { wallTimeMs: 10_000 } }, 'check');
    return result.error;
  }

  async engineStatus(): Promise<Record<EngineName, EngineStatus>> {
    const status = async (name: EngineName): Promise<EngineStatus> =>
      this.engineFor(name)?.status() ?? { available: false, reason: `Unknown engine "${name}"` };
    return { embedded: await status('embedded'), wasmedge: await status('wasmedge') };
  }

  /** Starts what makes an engine's later runs fast (WasmEdge: its AOT compile, detached) and returns its status at once. */
  async prepareEngine(name: EngineName): Promise<EngineStatus> {
    const engine = this.engineFor(name);
    if (!engine) throw new WasmForgeError('ENGINE_UNAVAILABLE', `Unknown engine "${name}"`);
    return engine.prepare ? engine.prepare() : engine.status();
  }

  async close(): Promise<void> {
    await Promise.all([...this.engines.values()].map((engine) => engine.close()));
    this.engines.clear();
  }

  /** The one pipeline, with the settings read now (never a copy taken at start-up). */
  private async limitsFor(request: RunRequest): Promise<{ limits: SandboxLimits } | { error: ErrorInfo }> {
    try {
      const ask = { limits: request.limits, by: request.limitsBy ?? 'owner' };
      return { limits: effectiveLimits(await this.settingsLimits(), request.manifestLimits, ask) };
    } catch (error) {
      return { error: toErrorInfo(error) };
    }
  }

  /** The settings' limits as they are now: asked at every run, never a copy taken at start-up. */
  private async settingsLimits(): Promise<PartialLimits | undefined> {
    const { limits } = this.options;
    return typeof limits === 'function' ? limits() : limits;
  }

  /** Warm sandboxes fit the settings as they are now (the defaults while those are refused: a run then says why). */
  private async warmSpec(): Promise<GuestSpec> {
    try {
      return guestSpec(effectiveLimits(await this.settingsLimits()));
    } catch {
      return guestSpec(DEFAULT_LIMITS);
    }
  }

  private engineFor(name: EngineName): Engine | undefined {
    const existing = this.engines.get(name);
    if (existing) return existing;
    let resources: SandboxResources;
    try {
      resources = this.options.resources ?? findSandboxResources();
    } catch (error) {
      // No python.wasm: the app still opens and says how to fix it. Not kept, so the file is found once it is there.
      return name === 'embedded' || name === 'wasmedge' ? unavailableEngine(name, error) : undefined;
    }
    const engine = name === 'embedded'
      ? new EmbeddedEngine({ resources, poolSize: this.options.warmPoolSize, dataHome: this.options.dataHome })
      : name === 'wasmedge' ? createWasmEdgeEngine({ resources, dataHome: this.options.dataHome }) : undefined;
    if (engine) this.engines.set(name, engine);
    return engine;
  }
}

/** Milliseconds since `started`, to a tenth: what a person or a script reads, without float noise (4789.1, not 4789.123347000001). */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/**
 * Fires when the plugin has computed (wall time minus AI waits) for longer than its budget. It
 * wakes when the budget would be spent if no more waiting happened, and re-arms for what is left.
 */
function watchComputeTime(budgetMs: number, started: number, waitingMs: () => number, onExceeded: (message: string) => void) {
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = budgetMs - (performance.now() - started - waitingMs());
    if (left <= 0) onExceeded(`The plugin computed for longer than ${budgetMs / 1000} s (time waiting for AI not counted)`);
    else timer = setTimeout(check, left);
  };
  check();
  return { stop: () => clearTimeout(timer) };
}

/** The `run` frame's job, whole: the request's code and input (with their defaults) and the output limit the runner holds printed output to. */
function guestJob(request: RunRequest, mode: GuestJob['mode'], limits: SandboxLimits): GuestJob {
  return {
    mode, code: request.code, files: request.files, input: request.input ?? '', filename: request.filename ?? 'plugin.py', outputBytes: limits.outputBytes,
  };
}

function guestSpec(limits: SandboxLimits): GuestSpec {
  return { memoryPages: memoryPages(limits), logBytes: limits.logBytes, outputBytes: limits.outputBytes, wallTimeMs: limits.wallTimeMs };
}

function validateRequest(request: RunRequest, limits: SandboxLimits): ErrorInfo | null {
  if (typeof request.code !== 'string') return { code: 'BAD_INPUT', message: 'The plugin code must be text' };
  if (request.input !== undefined && typeof request.input !== 'string') return { code: 'BAD_INPUT', message: 'The input must be text' };
  const inputBytes = Buffer.byteLength(request.input ?? '', 'utf8');
  if (inputBytes > limits.inputBytes) {
    return { code: 'BAD_INPUT', message: `The input is ${formatBytes(inputBytes)}; the limit is ${formatBytes(limits.inputBytes)}` };
  }
  if (!codeFits(request.code)) return { code: 'BAD_INPUT', message: CODE_TOO_LARGE };
  if (request.filename !== undefined && !FILENAME_PATTERN.test(request.filename)) {
    return { code: 'BAD_INPUT', message: `"${request.filename}" is not a valid plugin file name` };
  }
  return request.files ? filesProblem(request.files, request.filename ?? 'plugin.py', request.code) : null;
}

/** The other files, checked with the entry (its size counts in the total): INVALID_PLUGIN_FILES before any guest starts. */
function filesProblem(files: PluginFiles, entry: string, code: string): ErrorInfo | null {
  if (Object.hasOwn(files, entry)) {
    return { code: 'INVALID_PLUGIN_FILES', message: `"${entry}" is the plugin's entry; give it as the code`, details: { path: entry, reason: 'bad-path' } };
  }
  const problem = pluginFilesProblem({ ...files, [entry]: code });
  if (!problem) return null;
  const { message, ...details } = problem;
  return { code: 'INVALID_PLUGIN_FILES', message, details };
}
