/** Long enough for PGlite to checkpoint and the run history to flush; short enough that a hung close cannot keep the app. */
export const QUIT_CLEANUP_TIMEOUT_MS = 10_000;

/** The part of Electron's app this needs (the stand-in in the tests has it too). */
export interface QuittingApp {
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

export interface QuitCleanupOptions {
  timeoutMs?: number;
  log?: (message: string) => void;
}

/**
 * Makes quitting wait for `close` (the app API: databases, sandbox threads). Electron does not
 * await listeners, so a `void close()` lets the process exit mid-checkpoint (PGlite then finds no
 * valid checkpoint record on the next open). Instead quitting is cancelled once, close runs (at most
 * `timeoutMs`), and quit is called again, which then goes through.
 *
 * It waits in will-quit, not before-quit: will-quit comes after every window has closed, so a
 * window that stays open (unsaved edits, the user chose Stay) cancels the quit while the API is
 * still open, and no page can call an API that is closing.
 */
export function quitAfterCleanup(app: QuittingApp, close: () => Promise<void>, options: QuitCleanupOptions = {}): void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return; // quit asked again while cleaning up: the one cleanup quits when done
    state = 'closing';
    void withTimeout(close(), options.timeoutMs ?? QUIT_CLEANUP_TIMEOUT_MS)
      .catch((error: unknown) => options.log?.(`cleanup before quitting failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`it took longer than ${ms / 1000} s; quitting anyway`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
