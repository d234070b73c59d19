import { EmbeddedEngine } from '../../src/sandbox/embedded/engine.ts';

/** The embedded engine with a crash button, for crash-recovery tests (production code has none). */
export class CrashableEngine extends EmbeddedEngine {
  /** Kills every worker thread abruptly, the way a V8 out-of-memory would. */
  async simulateCrash(): Promise<void> {
    await Promise.all([...this.slots].map((slot) => slot.terminateAbruptly()));
  }
}
