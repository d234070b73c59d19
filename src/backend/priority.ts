import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The backend yields the CPU to the process that owns the windows: opening a database or running
 * plugins may take a little longer on a busy machine, a keystroke or a click may not. Niceness is
 * per thread on Linux, and V8 and libuv start their threads before this runs, so every thread of
 * the process is lowered there (threads started later, such as the sandbox's workers, inherit it);
 * elsewhere the process's priority covers its threads. Best effort: never fatal.
 * WASMFORGE_BACKEND_NICENESS (0–19) changes it; 0 keeps the normal priority (the shell's tests use it:
 * on a machine loaded many times over, a lowered backend waits behind every other process).
 */
export const BACKEND_NICENESS = 5;

export function yieldToTheWindows(niceness = nicenessFromEnv()): void {
  if (niceness === 0) return;
  const threads = process.platform === 'linux' ? linuxThreads() : [0];
  for (const thread of threads) {
    try {
      setPriority(thread, niceness);
    } catch {
      // not permitted here (a sandboxed process, an unusual OS): the backend runs at normal priority
    }
  }
}

function linuxThreads(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number).filter((id) => Number.isInteger(id));
  } catch {
    return [0];
  }
}

function nicenessFromEnv(): number {
  const wanted = Number(process.env.WASMFORGE_BACKEND_NICENESS ?? BACKEND_NICENESS);
  return Number.isInteger(wanted) && wanted >= 0 && wanted <= 19 ? wanted : BACKEND_NICENESS;
}
