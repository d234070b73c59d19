import { AiBroker } from '../ai/broker.ts';
import { formatRecording, parseRecording } from '../ai/recording.ts';
import { RecordingProvider, ReplayProvider } from '../ai/replay.ts';
import { join } from 'node:path';
import { readCaseFiles, recordingOfCases } from '../sandbox/plugin-tests.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { pluginNameSchema, type PluginRef } from '../shared/api/schemas/plugins.ts';
import type { AppContext } from './context.ts';

export interface RunAi {
  broker: AiBroker;
  /** The calls and answers as text to save (`--record`), once the run is over; undefined unless recording. */
  recording(): string | undefined;
}

/** What of a run request chooses who answers its AI calls. */
interface AiChoice {
  record: boolean;
  replay?: string;
  replayTests?: boolean;
  plugin?: PluginRef;
  manifest?: { name?: string };
}

/**
 * Who answers a run's AI calls: the configured provider, the same provider with every answer kept
 * (record), a recording the caller sent (replay, no model needed), or the answers the workspace
 * plugin's test cases hold (replayTests: authoring without a model). The allow-list is the
 * settings' in every case.
 */
export async function runAiFor(app: AppContext, request: AiChoice): Promise<RunAi> {
  if (request.replay === undefined && !request.record && !request.replayTests) return { broker: await app.broker(), recording: () => undefined };
  const { allowList } = (await app.settings()).ollama;
  if (request.replayTests) {
    const name = casesPluginName(request);
    const files = await readCaseFiles(join(app.home, 'workspace', pluginNameSchema.parse(name)));
    // The answers it got are returned as its recording, so such a run can be kept as a case too.
    const provider = new RecordingProvider(new ReplayProvider(recordingOfCases(files), `the test cases of ${name}`));
    return { broker: new AiBroker({ provider, allowList, onListModels: () => provider.listed() }), recording: () => formatRecording(provider.recording()) };
  }
  if (request.replay !== undefined) {
    const provider = new ReplayProvider(parseRecording(request.replay, 'the recording to replay'), 'the recording');
    return { broker: new AiBroker({ provider, allowList }), recording: () => undefined };
  }
  const recorder = new RecordingProvider((await app.ai()).provider);
  return { broker: new AiBroker({ provider: recorder, allowList, onListModels: () => recorder.listed() }), recording: () => formatRecording(recorder.recording()) };
}

/** The workspace plugin whose cases answer: the one run by reference, or the Builder draft's saved name. */
function casesPluginName(request: AiChoice): string {
  const name = request.plugin ? (request.plugin.source === 'workspace' ? request.plugin.name : undefined) : request.manifest?.name;
  if (!name) {
    throw new WasmForgeError('BAD_INPUT', 'Answering from test cases needs a workspace plugin (a saved Builder plugin with a name)', {
      hint: 'Save the plugin first, or turn off replay mode',
    });
  }
  return name;
}
