import type { Settings } from '../library/settings.ts';
import type { RunEvent } from '../shared/run.ts';
import { AiBroker } from './broker.ts';
import { resolveOllamaConnection } from './ollama-connection.ts';
import { OllamaProvider } from './ollama-provider.ts';
import type { AiProvider } from './provider.ts';
import { loadRecording, saveRecording } from './recording.ts';
import { RecordingProvider, ReplayProvider } from './replay.ts';

export interface RunAiOptions {
  /** Save every AI call of the run, with its answer, to this file. */
  record?: string;
  /** Answer every AI call from this recording; no Ollama needed. */
  replay?: string;
  /** Used instead of Ollama (tests, demos). */
  provider?: AiProvider;
}

export interface RunAi {
  broker: AiBroker;
  /** Writes the recording when recording; call once the run is over. */
  finish(): Promise<void>;
}

/** The AI side of a run as the settings describe it: Ollama, or a recording being made or replayed. */
export async function createRunAi(settings: Settings, options: RunAiOptions = {}): Promise<RunAi> {
  const allowList = settings.ollama.allowList;
  if (options.replay) {
    const provider = new ReplayProvider(await loadRecording(options.replay), options.replay);
    return { broker: new AiBroker({ provider, allowList }), finish: async () => undefined };
  }
  const live = options.provider ?? new OllamaProvider(resolveOllamaConnection(settings));
  if (!options.record) return { broker: new AiBroker({ provider: live, allowList }), finish: async () => undefined };
  const recorder = new RecordingProvider(live);
  const file = options.record;
  return { broker: new AiBroker({ provider: recorder, allowList }), finish: () => saveRecording(file, recorder.recording()) };
}

/** A run's event listener that writes each AI answer as it streams, one call after the other. */
export function printAiTokens(write: (text: string) => void): (event: RunEvent) => void {
  let open = false;
  return (event) => {
    if (event.type === 'ai-call') {
      write(`${open ? '\n' : ''}[ai #${event.index + 1} ${event.model}] `);
      open = true;
    } else if (event.type === 'ai-token') {
      write(event.text);
    } else if (event.type === 'result' && open) {
      write('\n');
      open = false;
    }
  };
}
