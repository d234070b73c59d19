let interrupted = false;

/**
 * Runs `work` with a signal that Ctrl-C aborts, so it cancels whatever is under way (reading stdin,
 * a run, a pull). The handler is used once: a second Ctrl-C ends the process as usual.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => {
    interrupted = true;
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Ctrl-C cancelled the command: it exits 130 (128 + SIGINT), as shells and clig.dev expect, whatever it printed. */
export function wasInterrupted(): boolean {
  return interrupted;
}
