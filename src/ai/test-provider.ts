import { createHash } from 'node:crypto';
import { WasmForgeError } from '../shared/errors.ts';
import type {
  AiEmbedRequest, AiEmbedResult, AiGenerateOptions, AiGenerateRequest, AiGenerateResult, AiProvider,
} from './provider.ts';

export interface TestProviderOptions {
  models?: string[];
  latencyMs?: number;
  /** Maps a request to its answer; defaults to an echo that names the model. */
  answer?: (request: AiGenerateRequest) => string;
  /** When set, every call fails with this code (e.g. AI_UNAVAILABLE). */
  failWith?: 'AI_UNAVAILABLE' | 'AI_ERROR';
}

export const ORIGINAL_MODELS = ['mistral:latest', 'qwen2.5:1.5b', 'gemma2:2b', 'llama3.2:latest'];

/** In-process provider for tests, benchmarks and offline use: deterministic, no network. */
export class TestAiProvider implements AiProvider {
  constructor(private readonly options: TestProviderOptions = {}) {}

  async listInstalledModels(): Promise<string[]> {
    return this.options.models ?? ORIGINAL_MODELS;
  }

  async generate(request: AiGenerateRequest, { signal, onToken, maxAnswerTokens }: AiGenerateOptions): Promise<AiGenerateResult> {
    if (this.options.failWith) throw new WasmForgeError(this.options.failWith, 'The test provider was told to fail');
    if (this.options.latencyMs) await abortableDelay(this.options.latencyMs, signal);
    const prompt = request.prompt ?? request.messages?.map((m) => m.content).join('\n') ?? '';
    const full = this.options.answer?.(request) ?? `[${request.model}] ${prompt}`;
    const pieces = full.match(/\s*\S+|\s+/gu) ?? [];
    const kept = pieces.slice(0, Math.min(request.maxTokens ?? Infinity, maxAnswerTokens ?? Infinity));
    for (const piece of kept) onToken?.(piece);
    const text = kept.join('');
    return { text, promptTokens: prompt.length, responseTokens: kept.length, doneReason: kept.length < pieces.length ? 'length' : 'stop' };
  }

  async embed(request: AiEmbedRequest, { signal }: { signal: AbortSignal }): Promise<AiEmbedResult> {
    if (this.options.failWith) throw new WasmForgeError(this.options.failWith, 'The test provider was told to fail');
    if (this.options.latencyMs) await abortableDelay(this.options.latencyMs, signal);
    const embeddings = request.input.map((text) => [...createHash('sha256').update(text).digest().subarray(0, 4)].map((b) => b / 255));
    return { embeddings, promptTokens: request.input.join(' ').length };
  }
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new WasmForgeError('CANCELLED', 'The AI call was cancelled'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
