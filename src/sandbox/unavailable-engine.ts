import { toErrorInfo, WasmForgeError } from '../shared/errors.ts';
import type { EngineName } from '../shared/run.ts';
import type { Engine } from './engine.ts';

/**
 * An engine that cannot start here, most often because python.wasm is missing (`npm ci
 * --ignore-scripts` skips the postinstall copy). The app still opens: the status names the
 * problem and its fix, and a run fails with ENGINE_UNAVAILABLE and the same hint.
 */
export function unavailableEngine(name: EngineName, cause: unknown): Engine {
  const info = toErrorInfo(cause);
  const error = new WasmForgeError('ENGINE_UNAVAILABLE', info.message, { hint: info.hint, cause });
  return {
    name,
    status: async () => ({ available: false, reason: info.hint ? `${info.message}. ${info.hint}` : info.message }),
    acquire: async () => {
      throw error;
    },
    close: async () => undefined,
  };
}
