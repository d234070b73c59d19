import { utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';
import { fromBackendSchema, type ToBackend } from '../backend/protocol.ts';

/** What the host writes to the log (main's AppLog has this shape). */
export interface HostLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface BackendHostOptions {
  /** The built backend entry (out/main/backend.js). */
  entry: string;
  home: string;
  ai: 'ollama' | 'test';
  log: HostLog;
  /** The backend died unexpectedly; `restarting` says whether another is being started. */
  onCrash?: (crash: { generation: number; exitCode: number; restarting: boolean }) => void;
  /** Crashes within `crashWindowMs` after which it is given up rather than started again. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** How long a shutdown may take before the process is killed. */
  stopTimeoutMs?: number;
}

/**
 * Starts the backend process and starts it again when it dies (as VS Code's and Beekeeper
 * Studio's hosts do): each start is a new generation, so nothing of a dead one is mistaken for
 * the next. A backend that keeps dying (3 times in a minute) is given up, so a broken data folder
 * cannot spin the machine. Ports for windows are handed to whichever generation is running.
 */
export class BackendHost {
  generation = 0;
  private child: UtilityProcess | undefined;
  private state: 'running' | 'stopping' | 'stopped' | 'given-up' = 'stopped';
  private crashes: number[] = [];
  private firstReady: { resolve: () => void; reject: (error: Error) => void } | undefined;
  readonly ready: Promise<void>;
  logFile: string | undefined;

  constructor(private readonly options: BackendHostOptions) {
    this.ready = new Promise((resolve, reject) => (this.firstReady = { resolve, reject }));
    this.ready.catch(() => undefined); // the caller awaits it; an unobserved copy must not crash main
  }

  get running(): boolean {
    return this.state === 'running';
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    this.generation += 1;
    this.state = 'running';
    const generation = this.generation;
    const child = utilityProcess.fork(this.options.entry, [], { serviceName: 'WasmForge backend', stdio: 'inherit' });
    this.child = child;
    child.on('message', (message: unknown) => this.fromBackend(generation, message));
    child.on('exit', (code: number) => this.exited(child, generation, code));
    this.post({ type: 'start', home: this.options.home, ai: this.options.ai, generation });
    this.options.log.info('backend process started', { generation });
  }

  /** Hands a document's port to the running backend; false when there is none (given up, quitting). */
  connect(peer: string, port: MessagePortMain): boolean {
    if (this.state !== 'running' || !this.child) return false;
    this.child.postMessage({ type: 'connect', peer } satisfies ToBackend, [port]);
    return true;
  }

  /** Asks the backend to close the API (databases, sandbox), waits for it to exit, kills it past the timeout. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.state !== 'running') return;
    this.state = 'stopping';
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.post({ type: 'shutdown' });
    const timeoutMs = this.options.stopTimeoutMs ?? 9_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
    if ((await Promise.race([exited, late])) === 'late') {
      this.options.log.warn(`the backend did not close within ${timeoutMs / 1000} s; killing it`);
      child.kill();
      await exited;
    }
    clearTimeout(timer);
    this.state = 'stopped';
  }

  private post(message: ToBackend): void {
    this.child?.postMessage(message);
  }

  private fromBackend(generation: number, raw: unknown): void {
    const parsed = fromBackendSchema.safeParse(raw);
    if (!parsed.success || generation !== this.generation) return;
    const message = parsed.data;
    if (message.type === 'ready') {
      this.logFile = message.logFile;
      this.options.log.info('backend ready', { generation });
      this.firstReady?.resolve();
    } else if (message.type === 'failed') {
      this.options.log.error('the backend could not start', { generation, reason: message.message });
      // The first start failing is the app failing to start (main says so and quits); a later one is a crash.
      if (generation === 1) {
        this.state = 'given-up';
        this.firstReady?.reject(new Error(message.message));
      }
      this.child?.kill();
    }
  }

  private exited(child: UtilityProcess, generation: number, exitCode: number): void {
    if (child !== this.child) return;
    this.child = undefined;
    if (this.state !== 'running') {
      this.options.log.info('backend process exited', { generation, exitCode });
      return;
    }
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < (this.options.crashWindowMs ?? 60_000)), now];
    const restarting = this.crashes.length < (this.options.maxCrashes ?? 3);
    this.options.log.error('the backend process died', { generation, exitCode, restarting });
    if (!restarting) this.state = 'given-up';
    // Told before the next one starts: what was under way in the dead one ends first.
    this.options.onCrash?.({ generation, exitCode, restarting });
    if (restarting) this.start();
  }
}
