import { api } from '../../api/client.ts';
import type { RunRecord } from '../../../../shared/api/schemas/runs.ts';
import type { CaseResult, TestReport } from '../../../../shared/api/schemas/tests.ts';
import { WasmForgeError } from '../../../../shared/wasmforge-error.ts';
import { builderStore, isValidName } from '../../stores/builder.ts';
import { saveDraft } from './use-autosave.ts';

/**
 * What the Tests panel does through the API. Cases live in the saved plugin's folder and run the
 * saved code, so each action saves the draft first: what is tested is what the editor shows.
 */
export async function savedPluginName(): Promise<string> {
  const { manifest } = builderStore.getState();
  if (!isValidName(manifest.name)) throw new WasmForgeError('BAD_INPUT', 'Give the plugin a valid name first: test cases are kept in its folder');
  // A save already under way may hold older code: wait for it, then save what the editor shows now.
  while (builderStore.getState().saveState === 'saving') await new Promise((resolve) => setTimeout(resolve, 20));
  if (builderStore.getState().saveState !== 'saved') await saveDraft();
  const state = builderStore.getState();
  if (state.saveState !== 'saved') throw new WasmForgeError('STORAGE_ERROR', `The plugin could not be saved${state.saveError ? `: ${state.saveError}` : ''}`);
  return state.manifest.name;
}

/** Keeps a finished Builder run as `tests/<name>.json`: its input, the AI answers it recorded, its outcome. */
export async function saveRunAsCase(record: RunRecord, name: string, overwrite = false): Promise<string> {
  const plugin = await savedPluginName();
  const { result } = record;
  const saved = await api().call('tests.saveFromRun', {
    plugin, name, input: record.input, output: result.output, errorCode: result.error?.code ?? null, overwrite,
    ...(record.recording !== undefined ? { recording: record.recording } : {}),
  });
  return saved.file;
}

/** Runs the plugin's cases (only `files` when given), each result handed over as it finishes. */
export async function runSavedCases(files: string[] | undefined, onCase: (result: CaseResult) => void, signal?: AbortSignal): Promise<TestReport> {
  const plugin = await savedPluginName();
  return api().stream('tests.run', { suite: { plugin }, ...(files ? { files } : {}) }, { signal, onEvent: (event) => onCase(event.result) });
}

/** A first name for a case, from the run's input ("the quarterly report …" → "the quarterly report"); the author may change it. */
export function suggestedCaseName(input: string): string {
  const words = input.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim().split(' ').filter(Boolean).slice(0, 4).join(' ');
  return words.slice(0, 40).trim() || 'empty input';
}
