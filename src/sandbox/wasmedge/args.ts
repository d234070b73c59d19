import { MIN_MEMORY_BYTES, WASM_PAGE_BYTES } from '../limits.ts';

export type RunMode = 'interpreter' | 'aot';

export interface RunArgsInput {
  /** python.wasm, or its AOT-compiled copy. */
  modulePath: string;
  mode: RunMode;
  /** WasmEdge ≥ 0.17 needs `--run-mode aot` for compiled code to run natively. */
  runModeFlag: boolean;
  memoryPages: number;
  timeLimitMs: number;
  /** guestArgv(sdkDir): ['python', '-S', …]; WasmEdge supplies argv[0] itself. */
  guestArgv: readonly string[];
}

const MIN_PAGES = MIN_MEMORY_BYTES / WASM_PAGE_BYTES;

/**
 * `wasmedge [--run-mode aot] --memory-page-limit N --time-limit MS <module> <args…>`. Plain AOT code
 * ignores --time-limit (only the interpreter obeys it): the host's own timers are what stop a run.
 * No --dir and no --env: the guest gets no files and no environment. WasmEdge's option parser
 * stops at the first positional argument, so the guest's `-S -I -B -c …` reach CPython untouched.
 */
export function buildRunArgs(input: RunArgsInput): string[] {
  const args: string[] = [];
  if (input.mode === 'aot' && input.runModeFlag) args.push('--run-mode', 'aot');
  args.push('--memory-page-limit', String(Math.max(MIN_PAGES, Math.floor(input.memoryPages))));
  args.push('--time-limit', String(Math.max(1, Math.ceil(input.timeLimitMs))));
  args.push(input.modulePath, ...input.guestArgv.slice(1));
  return args;
}

/**
 * Plain `wasmedge compile`, without `--interruptible`: that flag makes the native code check a stop
 * flag at every block and loop (≈ 8× slower on CPU-bound Python, measured). Each guest is a process
 * of its own, so the host enforces wall and compute time by ending it, which works in every mode.
 */
export function buildCompileArgs(inputWasm: string, outputWasm: string): string[] {
  return ['compile', inputWasm, outputWasm];
}

export interface TimeBudget {
  wallTimeMs: number;
  /** Allowance for CPython's start-up (WasmEdge's clock starts before _start). */
  startupMs: number;
  /** How long a warm guest may wait in the pool before its run starts (0 when not pooled). */
  idleMs: number;
}

/**
 * WasmEdge's --time-limit counts from process start, so a guest that waits in the warm pool must
 * get its start-up and waiting time on top of the run's wall time. It is a backstop only: the host
 * enforces the run's exact wall time itself by killing the process.
 */
export function wasmedgeTimeLimitMs(budget: TimeBudget): number {
  return budget.wallTimeMs + budget.startupMs + budget.idleMs;
}
