import type { ChatRequest, ChatResponse, GenerateRequest, GenerateResponse, Message } from 'ollama';
import { z } from 'zod';
import { WasmForgeError } from '../shared/errors.ts';
import { createOllamaClient, displayHost, type OllamaConnection } from './ollama-connection.ts';
import { describeAttempt, toAiError, type OllamaAttempt } from './ollama-errors.ts';
import type {
  AiEmbedRequest, AiEmbedResult, AiGenerateOptions, AiGenerateRequest, AiGenerateResult, AiProvider,
} from './provider.ts';

const tagsSchema = z.object({ models: z.array(z.object({ name: z.string() }).loose()) });
const embedSchema = z.object({ embeddings: z.array(z.array(z.number())), prompt_eval_count: z.number().optional() });

/** Answers AI calls with a real Ollama server (local or remote) through the official client. */
export class OllamaProvider implements AiProvider {
  readonly location: string;

  constructor(readonly connection: OllamaConnection) {
    this.location = `Ollama at ${displayHost(connection.host)}`;
  }

  async listInstalledModels(signal?: AbortSignal): Promise<string[]> {
    const attempt = this.attempt('GET /api/tags');
    try {
      const listed = tagsSchema.safeParse(await createOllamaClient(this.connection, signal).list());
      if (!listed.success) throw new SyntaxError('the model list has an unexpected shape');
      return listed.data.models.map((model) => model.name);
    } catch (error) {
      throw failure(error, signal, attempt);
    }
  }

  async generate(request: AiGenerateRequest, { signal, onToken, maxAnswerTokens }: AiGenerateOptions): Promise<AiGenerateResult> {
    const chat = request.messages !== undefined;
    const attempt = this.attempt(chat ? 'POST /api/chat' : 'POST /api/generate', request.model);
    try {
      const client = createOllamaClient(this.connection, signal);
      const capped = { ...request, maxTokens: minDefined(request.maxTokens, maxAnswerTokens) };
      const parts = chat
        ? await client.chat({ ...toChatRequest(capped), stream: true })
        : await client.generate({ ...toGenerateRequest(capped), stream: true });
      let text = '';
      let final: GenerateResponse | ChatResponse | undefined;
      for await (const part of parts as AsyncIterable<GenerateResponse | ChatResponse>) {
        const piece = 'message' in part ? part.message?.content : part.response;
        if (typeof piece === 'string' && piece !== '') {
          text += piece;
          onToken?.(piece);
        }
        if (part.done) final = part;
      }
      return { text, promptTokens: count(final?.prompt_eval_count), responseTokens: count(final?.eval_count), doneReason: final?.done_reason };
    } catch (error) {
      throw failure(error, signal, attempt);
    }
  }

  async embed(request: AiEmbedRequest, { signal }: { signal: AbortSignal }): Promise<AiEmbedResult> {
    const attempt = this.attempt('POST /api/embed', request.model);
    try {
      const answer = embedSchema.safeParse(await createOllamaClient(this.connection, signal).embed({ model: request.model, input: request.input }));
      if (!answer.success) throw new SyntaxError('the embeddings have an unexpected shape');
      return { embeddings: answer.data.embeddings, promptTokens: count(answer.data.prompt_eval_count) };
    } catch (error) {
      throw failure(error, signal, attempt);
    }
  }

  private attempt(request: string, model?: string): OllamaAttempt {
    return { host: this.connection.host, request, model };
  }
}

/** An abort says why through its reason (the session's timeout or the run's cancel); else map the error. */
export function failure(error: unknown, signal: AbortSignal | undefined, attempt: OllamaAttempt): WasmForgeError {
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof WasmForgeError) return reason;
    if (reason instanceof DOMException && reason.name === 'TimeoutError') {
      return new WasmForgeError('AI_UNAVAILABLE', `Ollama did not answer in time ${describeAttempt(attempt)}`);
    }
    return new WasmForgeError('CANCELLED', 'The AI call was cancelled');
  }
  return toAiError(error, attempt);
}

export function toGenerateRequest(request: AiGenerateRequest): GenerateRequest {
  return {
    model: request.model,
    prompt: request.prompt ?? '',
    ...(request.system !== undefined ? { system: request.system } : {}),
    ...(request.images?.length ? { images: request.images.map(decodeImage) } : {}),
    ...(request.json ? { format: 'json' } : {}),
    options: ollamaOptions(request),
  };
}

export function toChatRequest(request: AiGenerateRequest): ChatRequest {
  const messages: Message[] = (request.messages ?? []).map((message) => ({
    role: message.role,
    content: message.content,
    ...(message.images?.length ? { images: message.images.map(decodeImage) } : {}),
  }));
  if (request.system !== undefined) messages.unshift({ role: 'system', content: request.system });
  if (request.images?.length) attachToLastUserMessage(messages, request.images.map(decodeImage));
  return { model: request.model, messages, ...(request.json ? { format: 'json' } : {}), options: ollamaOptions(request) };
}

function ollamaOptions(request: AiGenerateRequest): Record<string, number> {
  return {
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.maxTokens !== undefined ? { num_predict: request.maxTokens } : {}),
  };
}

function attachToLastUserMessage(messages: Message[], images: Uint8Array[]): void {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  if (last) last.images = [...((last.images as Uint8Array[] | undefined) ?? []), ...images];
  else messages.push({ role: 'user', content: '', images });
}

/**
 * Images go to the client as bytes, never as strings: given a string, the Node client checks
 * whether it names a file and sends that file's contents (a plugin could read host files).
 */
function decodeImage(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function count(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}
