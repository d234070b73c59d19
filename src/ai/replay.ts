import { WasmForgeError } from '../shared/errors.ts';
import type {
  AiEmbedRequest, AiEmbedResult, AiGenerateOptions, AiGenerateRequest, AiGenerateResult, AiProvider,
} from './provider.ts';
import {
  embedKey, emptyRecording, matchKey, requestForRecording,
  type RecordedCall, type RecordedEmbedCall, type RecordedGenerateCall, type Recording,
} from './recording.ts';
import { embedMiss, generateMiss } from './replay-miss.ts';
import { normalizeModelName } from './requests.ts';

/**
 * Passes calls to a real provider and keeps every successful call with its answer, and the
 * installed models when the plugin asked for them (listed(): the broker's onListModels). The
 * broker also lists them to check each call; a recording of a plugin that never called
 * list_models() keeps none, so a test case holds only what its plugin saw.
 */
export class RecordingProvider implements AiProvider {
  private readonly calls: RecordedCall[] = [];
  private models: string[] = [];
  private modelsListed = false;

  constructor(private readonly inner: AiProvider) {}

  get location(): string | undefined {
    return this.inner.location;
  }

  /** A recorded replay is still a replay: the broker skips the installed check for it too. */
  get offline(): boolean | undefined {
    return this.inner.offline;
  }

  async listInstalledModels(signal?: AbortSignal): Promise<string[]> {
    this.models = await this.inner.listInstalledModels(signal);
    return this.models;
  }

  async generate(request: AiGenerateRequest, options: AiGenerateOptions): Promise<AiGenerateResult> {
    const result = await this.inner.generate(request, options);
    const { text, promptTokens, responseTokens, doneReason } = result;
    this.calls.push({ kind: 'generate', request: requestForRecording(request), response: { text, promptTokens, responseTokens, doneReason } });
    return result;
  }

  async embed(request: AiEmbedRequest, options: { signal: AbortSignal }): Promise<AiEmbedResult> {
    if (!this.inner.embed) throw new WasmForgeError('AI_ERROR', 'This AI provider cannot make embeddings');
    const result = await this.inner.embed(request, options);
    this.calls.push({ kind: 'embed', request, response: { embeddings: result.embeddings, promptTokens: result.promptTokens } });
    return result;
  }

  /** The plugin asked list_models(): the recording keeps the installed models. */
  listed(): void {
    this.modelsListed = true;
  }

  recording(): Recording {
    return { ...emptyRecording(), models: this.modelsListed ? [...this.models] : [], calls: [...this.calls] };
  }
}

/**
 * Answers from a recording, with no model anywhere: the same call gets the same answer (a call
 * made more often than recorded gets the last one again), and a call not in it is REPLAY_MISS,
 * naming which call of the run it was and how it differs from the closest recorded one.
 */
export class ReplayProvider implements AiProvider {
  readonly offline = true;
  private readonly generated = new Map<string, RecordedGenerateCall[]>();
  private readonly embedded = new Map<string, RecordedEmbedCall[]>();
  private readonly models: string[];
  private readonly recording: Recording;
  /** Calls made so far, so a miss can say which one of the run it was. */
  private calls = 0;

  /** `source` names the recording in messages (a file, or a test case). */
  constructor(recording: Recording, private readonly source: string) {
    this.recording = recording;
    for (const call of recording.calls) {
      if (call.kind === 'generate') push(this.generated, matchKey(call.request), call);
      else push(this.embedded, embedKey(call.request.model, call.request.input), call);
    }
    const used = recording.calls.map((call) => call.request.model);
    this.models = [...new Set([...recording.models, ...used].map(normalizeModelName))];
  }

  async listInstalledModels(): Promise<string[]> {
    return this.models;
  }

  async generate(request: AiGenerateRequest, { onToken }: AiGenerateOptions): Promise<AiGenerateResult> {
    this.calls += 1;
    const call = take(this.generated, matchKey(request));
    if (!call) throw generateMiss(this.calls, request, this.recording.calls.filter((c) => c.kind === 'generate'), this.source);
    for (const piece of call.response.text.match(/\s*\S+|\s+/gu) ?? []) onToken?.(piece);
    return { ...call.response, replayed: true };
  }

  async embed(request: AiEmbedRequest): Promise<AiEmbedResult> {
    this.calls += 1;
    const call = take(this.embedded, embedKey(request.model, request.input));
    if (!call) throw embedMiss(this.calls, request.model, request.input, this.recording.calls.filter((c) => c.kind === 'embed'), this.source);
    return { ...call.response, replayed: true };
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function take<T>(map: Map<string, T[]>, key: string): T | undefined {
  const list = map.get(key);
  if (!list || list.length === 0) return undefined;
  return list.length > 1 ? list.shift() : list[0];
}
