import { WasmForgeError } from '../../shared/errors.ts';
import type { Engine, EngineStatus, Guest, GuestHandlers, GuestSpec } from '../engine.ts';
import { guestArgv, SERVE_STATEMENT } from '../guest-code.ts';
import type { SandboxResources } from '../resources.ts';
import { IMAGE_RENEW_AFTER_MS } from './image.ts';
import { ImageCache } from './image-cache.ts';
import type { GuestLimits, SharedImage } from './messages.ts';
import { loadSandboxModule } from './module.ts';
import { loadImageModule, type GuestModule } from './snapshot-module.ts';
import { WorkerSlot, type GuestStart, type ImageReport } from './slot.ts';

export interface EmbeddedEngineOptions {
  resources: SandboxResources;
  /** Guests kept warm, and the number of runs that can go at once. */
  poolSize?: number;
  /** The data folder: its cache keeps the memory image for the next process (see image-cache.ts). */
  dataHome?: string;
}

/**
 * The default engine: python.wasm on V8's WebAssembly, in worker threads of this process. The
 * module is compiled once per engine and shared by every worker; each run gets a fresh instance.
 * So is the memory image runs are restored from: one worker takes it (or it comes from the disk
 * cache), the others wait for it rather than take their own, and all resume from the same bytes.
 */
export class EmbeddedEngine implements Engine {
  readonly name = 'embedded' as const;
  private module?: Promise<GuestModule>;
  /** Why runs start afresh instead of from a memory image, when they do. */
  imageUnavailable?: string;
  /** Protected so a test can reach its workers (test/support/crashable-engine.ts). */
  protected readonly slots = new Set<WorkerSlot>();
  private readonly waiting: Array<() => void> = [];
  private readonly warmWaiters: Array<() => void> = [];
  private readonly poolSize: number;
  /** Worker threads started so far: a healthy pool reuses them, run after run. */
  workersStarted = 0;
  private argv?: string[];
  /** The newest memory image, shared by every worker; a worker taking one while none exists yet. */
  private image?: SharedImage;
  private imageTaker?: WorkerSlot;
  private imageCache?: ImageCache;
  private imageSaved: Promise<void> = Promise.resolve();
  private closed = false;
  /** Consecutive workers that died before their first guest was ready. */
  private startupFailures = 0;
  /** Set after MAX_STARTUP_FAILURES: runs fail at once instead of waiting for a pool that cannot start. */
  private broken?: WasmForgeError;

  constructor(private readonly options: EmbeddedEngineOptions) {
    this.poolSize = Math.max(1, options.poolSize ?? 2);
  }

  async status(): Promise<EngineStatus> {
    try {
      await this.compiledModule();
      const start = this.imageUnavailable ? `started afresh: ${this.imageUnavailable}` : 'restored from a memory image';
      return { available: true, version: 'CPython 3.12 (python.wasm) on V8', detail: `${this.poolSize} warm sandbox${this.poolSize === 1 ? '' : 'es'}, ${start}` };
    } catch (error) {
      return { available: false, reason: (error as Error).message };
    }
  }

  prewarm(spec: GuestSpec): void {
    void this.compiledModule().then((module) => {
      while (!this.closed && this.slots.size < this.poolSize) this.addSlot(module, limitsOf(spec));
    }).catch(() => undefined);
  }

  async acquire(spec: GuestSpec, handlers: GuestHandlers, signal?: AbortSignal): Promise<Guest> {
    const module = await this.compiledModule();
    const limits = limitsOf(spec);
    if (this.broken) this.retryStartup();
    for (;;) {
      if (this.closed) throw new WasmForgeError('ENGINE_UNAVAILABLE', 'The sandbox engine is shut down');
      if (this.broken) throw this.broken;
      throwIfCancelled(signal);
      const slot = this.claimSlot(module, limits);
      if (!slot) {
        await new Promise<void>((resolve) => this.waiting.push(resolve));
        continue;
      }
      try {
        await slot.whenReady(limits);
      } catch {
        continue; // it died while warming; the pool replaces it
      }
      if (signal?.aborted) {
        slot.claimed = false;
        this.wakeOne();
        throwIfCancelled(signal);
      }
      return slot.take(handlers);
    }
  }

  /** What each live worker said about its memory image (none yet: it has not started a guest). */
  imageReports(): ImageReport[] {
    return [...this.slots].flatMap((slot) => (slot.image ? [slot.image] : []));
  }

  /** Settles once a guest is warm and free, so the next run pays no start-up (the UI's "ready"). */
  async whenWarm(spec: GuestSpec): Promise<void> {
    this.prewarm(spec);
    while (![...this.slots].some((slot) => slot.state === 'ready' && !slot.claimed)) {
      if (this.broken) throw this.broken;
      await new Promise<void>((resolve) => this.warmWaiters.push(resolve));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.slots].map((slot) => slot.close()));
    await this.imageSaved;
    this.slots.clear();
    this.waiting.splice(0).forEach((resolve) => resolve());
  }

  /** Prefers a warm guest with the same limits, then any warm one, then a new or warming worker. */
  private claimSlot(module: GuestModule, limits: GuestLimits): WorkerSlot | undefined {
    const free = [...this.slots].filter((slot) => !slot.claimed && slot.state !== 'busy' && slot.state !== 'dead');
    const ready = free.filter((slot) => slot.state === 'ready');
    const slot = ready.find((s) => sameLimits(s.limits, limits)) ?? ready[0]
      ?? (this.slots.size < this.poolSize ? this.addSlot(module, limits) : free[0]);
    if (slot) slot.claimed = true;
    return slot;
  }

  private addSlot(module: GuestModule, limits: GuestLimits): WorkerSlot {
    const takesImage = module.image !== undefined && !this.image && !this.imageTaker;
    const start = { ...this.guestStart(module), snapshot: this.image, awaitSnapshot: module.image !== undefined && !this.image && !takesImage };
    const slot = new WorkerSlot(start, limits, {
      onReady: () => this.warmWaiters.splice(0).forEach((resolve) => resolve()),
      onFree: () => this.wakeOne(),
      onDead: (dead) => this.replace(dead),
      onImage: (from, image, shared) => (shared ? this.imageChecked(image) : this.shareImage(from, image)),
    });
    if (takesImage) this.imageTaker = slot;
    this.slots.add(slot);
    this.workersStarted += 1;
    return slot;
  }

  /** A worker took an image (or could not): the others resume from it, or take their own when none came. */
  private shareImage(from: WorkerSlot, image: SharedImage | undefined): void {
    if (this.imageTaker === from) this.imageTaker = undefined;
    if (image && image.takenAt > (this.image?.takenAt ?? 0)) {
      this.image = image;
      if (this.imageCache) this.imageSaved = this.imageSaved.then(() => this.imageCache?.write(image)).catch(() => undefined);
    }
    for (const slot of this.slots) if (slot !== from) slot.offerImage(this.image);
  }

  /** A worker resumed the engine's image from disk: the workers started from now on skip their trial. */
  private imageChecked(image: SharedImage | undefined): void {
    // The same image (each thread sees the shared bytes through its own object): compared by when it was taken.
    if (image && this.image && !this.image.checked && image.takenAt === this.image.takenAt) this.image = { ...this.image, checked: true };
  }

  private replace(dead: WorkerSlot): void {
    this.slots.delete(dead);
    if (this.imageTaker === dead) this.shareImage(dead, undefined);
    this.startupFailures = dead.everReady ? 0 : this.startupFailures + 1;
    if (this.startupFailures >= MAX_STARTUP_FAILURES) {
      this.broken = new WasmForgeError('ENGINE_UNAVAILABLE', `The sandbox engine could not start (${dead.deathReason ?? 'unknown reason'})`);
      [...this.waiting.splice(0), ...this.warmWaiters.splice(0)].forEach((resolve) => resolve());
      return;
    }
    if (!this.closed) void this.compiledModule().then((module) => {
      if (!this.closed && this.slots.size < this.poolSize) this.addSlot(module, dead.limits);
      this.wakeOne();
    });
  }

  /** A later run tries again from scratch: the cause (say, a file being replaced) may be gone. */
  private retryStartup(): void {
    this.broken = undefined;
    this.startupFailures = 0;
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }

  private guestStart(module: GuestModule): GuestStart {
    return { ...module, argv: this.guestArgv(), serveStatement: SERVE_STATEMENT };
  }

  /** The image a process before this one saved, when it fits (same interpreter, argv and modules) and is recent. */
  private async loadCachedImage(moduleFiles: string[]): Promise<void> {
    if (!this.options.dataHome) return;
    try {
      this.imageCache = await ImageCache.open(this.options.dataHome, this.guestArgv(), moduleFiles);
      this.image = await this.imageCache.read(IMAGE_RENEW_AFTER_MS);
    } catch {
      // No cache then: the first worker takes an image, as it would have without one.
    }
  }

  private guestArgv(): string[] {
    this.argv ??= guestArgv(this.options.resources.sdkDir, { interactive: true });
    return this.argv;
  }

  private compiledModule(): Promise<GuestModule> {
    this.module ??= this.loadModule().catch((error: Error) => {
      this.module = undefined;
      throw new WasmForgeError('ENGINE_UNAVAILABLE', `python.wasm could not be loaded: ${error.message}`);
    });
    return this.module;
  }

  /** The module runs are restored with (python-asyncify.wasm), else python.wasm: every run then starts afresh. */
  private async loadModule(): Promise<GuestModule> {
    const { asyncifiedWasm, pythonWasm } = this.options.resources;
    if (asyncifiedWasm) {
      try {
        // An image saved for these very files was taken after they passed the build check.
        await this.loadCachedImage([asyncifiedWasm, pythonWasm]);
        return await loadImageModule(asyncifiedWasm, pythonWasm, { sourceChecked: this.image !== undefined });
      } catch (error) {
        this.image = undefined;
        this.imageUnavailable = (error as Error).message;
      }
    } else this.imageUnavailable = 'python-asyncify.wasm is missing (`npm ci` derives it; production installs go without)';
    return { module: await loadSandboxModule(pythonWasm) };
  }
}

const MAX_STARTUP_FAILURES = 3;

function throwIfCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new WasmForgeError('CANCELLED', 'The run was cancelled before it started');
}

function limitsOf(spec: GuestSpec): GuestLimits {
  return { memoryPages: spec.memoryPages, logBytes: spec.logBytes, outputBytes: spec.outputBytes };
}

function sameLimits(a: GuestLimits, b: GuestLimits): boolean {
  return a.memoryPages === b.memoryPages && a.logBytes === b.logBytes && a.outputBytes === b.outputBytes;
}
