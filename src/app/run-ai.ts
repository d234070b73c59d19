import { AiBroker } from '../ai/broker.ts';
import { formatRecording, parseRecording } from '../ai/recording.ts';
import { RecordingProvider, ReplayProvider } from '../ai/replay.ts';
import type { AppContext } from './context.ts';

export interface RunAi {
  broker: AiBroker;
  /** The calls and answers as text to save (`--record`), once the run is over; undefined unless recording. */
  recording(): string | undefined;
}

/**
 * Who answers a run's AI calls: the configured provider, the same provider with every answer kept
 * (record), or a recording the caller sent (replay, no model needed). The allow-list is the
 * settings' either way.
 */
export async function runAiFor(app: AppContext, request: { record: boolean; replay?: string }): Promise<RunAi> {
  if (request.replay === undefined && !request.record) return { broker: await app.broker(), recording: () => undefined };
  const { allowList } = (await app.settings()).ollama;
  if (request.replay !== undefined) {
    const provider = new ReplayProvider(parseRecording(request.replay, 'the recording to replay'), 'the recording');
    return { broker: new AiBroker({ provider, allowList }), recording: () => undefined };
  }
  const recorder = new RecordingProvider((await app.ai()).provider);
  return { broker: new AiBroker({ provider: recorder, allowList }), recording: () => formatRecording(recorder.recording()) };
}
