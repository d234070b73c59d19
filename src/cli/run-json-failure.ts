import { resolveDataHome } from '../library/home.ts';
import { loadSettings } from '../library/settings.ts';
import { elapsedMs } from '../sandbox/runtime.ts';
import { errorInfoOf } from '../shared/api/api-error.ts';
import { WasmForgeError } from '../shared/errors.ts';
import type { EngineName, RunResult } from '../shared/run.ts';
import { UsageError } from './output.ts';

/**
 * `run --json` answers every run with the one result object (README), a run that could not start
 * included: an error found before the run (no such file, files the sandbox refuses, a usage error)
 * is printed as the failed run's JSON on stdout, and still said on stderr with its exit code.
 * `printed` says the run's own result is out: an error after it (e.g. --save-test refusing) adds no second object.
 */
export async function withJsonFailure(json: boolean | undefined, engine: EngineName | undefined, work: (printed: () => void) => Promise<number>): Promise<number> {
  if (!json) return work(() => undefined);
  const started = performance.now();
  let printed = false;
  try {
    return await work(() => {
      printed = true;
    });
  } catch (error) {
    if (!printed) process.stdout.write(`${JSON.stringify(await failedRun(error, engine, started))}\n`);
    throw error;
  }
}

async function failedRun(error: unknown, engine: EngineName | undefined, started: number): Promise<RunResult> {
  // A usage error without a typed cause is a BAD_INPUT, as the API would call it.
  const cause = error instanceof UsageError ? (error.cause ?? new WasmForgeError('BAD_INPUT', error.message)) : error;
  return {
    ok: false, output: '', logs: '', error: errorInfoOf(cause), aiCalls: [],
    durationMs: elapsedMs(started),
    engine: engine ?? (await configuredEngine()),
  };
}

/** The engine the run would have used: the settings' (the default when they cannot be read, as the error may be theirs). */
async function configuredEngine(): Promise<EngineName> {
  try {
    return (await loadSettings(resolveDataHome())).sandbox.engine;
  } catch {
    return 'embedded';
  }
}
