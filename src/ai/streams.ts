import { WasmForgeError } from '../shared/errors.ts';

export interface StreamRead {
  /** Everything that arrived since the previous read. */
  text: string;
  done: boolean;
}

interface StreamState {
  chunks: string[];
  done: boolean;
  error?: unknown;
  wake?: () => void;
}

/**
 * Answers a plugin reads piece by piece. The guest pulls (one request, one reply, as for every
 * other frame), so the host never writes to a guest that did not ask; pieces wait here meanwhile.
 */
export class StreamTable {
  private readonly streams = new Map<number, StreamState>();
  private nextId = 1;

  open(run: (onToken: (text: string) => void) => Promise<string>): number {
    const id = this.nextId++;
    const state: StreamState = { chunks: [], done: false };
    this.streams.set(id, state);
    const wake = () => {
      const waiting = state.wake;
      state.wake = undefined;
      waiting?.();
    };
    run((text) => {
      state.chunks.push(text);
      wake();
    }).then(
      () => (state.done = true),
      (error: unknown) => {
        state.done = true;
        state.error = error;
      },
    ).finally(wake);
    return id;
  }

  async read(id: number, signal: AbortSignal): Promise<StreamRead> {
    const state = this.streams.get(id);
    if (!state) throw new WasmForgeError('AI_ERROR', `There is no open AI stream ${id}`);
    while (state.chunks.length === 0 && !state.done) {
      if (signal.aborted) throw new WasmForgeError('CANCELLED', 'The run ended');
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        state.wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    if (state.chunks.length > 0) {
      const text = state.chunks.join('');
      state.chunks.length = 0;
      const done = state.done && state.error === undefined;
      if (done) this.streams.delete(id);
      return { text, done };
    }
    this.streams.delete(id);
    if (state.error !== undefined) throw state.error;
    return { text: '', done: true };
  }
}
