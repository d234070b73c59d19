import { z } from 'zod';
import { MODEL_NAME_PATTERN } from '../shared/api/names.ts';
import type { PullProgressEvent } from '../shared/api/schemas/models.ts';
import { WasmForgeError } from '../shared/errors.ts';
import { createOllamaClient, type OllamaConnection } from './ollama-connection.ts';
import { describeAttempt, registryUnreachable, type OllamaAttempt } from './ollama-errors.ts';
import { failure } from './ollama-provider.ts';

export interface InstalledModel {
  name: string;
  sizeBytes: number;
  family: string;
  parameterSize: string;
  quantization: string;
  modifiedAt?: string;
}

export interface LoadedModel {
  name: string;
  sizeBytes: number;
  vramBytes: number;
  expiresAt?: string;
}

/** The contract's models.pull event, summed over the layers seen so far so a progress bar can show the whole download. */
export type PullProgress = PullProgressEvent;

const detailsSchema = z.object({
  family: z.string().nullish(),
  parameter_size: z.string().nullish(),
  quantization_level: z.string().nullish(),
}).loose().nullish();

const modelSchema = z.object({
  name: z.string(),
  size: z.number().nullish(),
  modified_at: z.union([z.string(), z.date()]).nullish(),
  expires_at: z.union([z.string(), z.date()]).nullish(),
  size_vram: z.number().nullish(),
  details: detailsSchema,
}).loose();
const listSchema = z.object({ models: z.array(modelSchema).nullish() });
const progressSchema = z.object({
  status: z.string(),
  digest: z.string().optional(),
  total: z.number().optional(),
  completed: z.number().optional(),
});

/** What Ollama has (/api/tags), what it has loaded (/api/ps); pull and delete. */
export class OllamaCatalog {
  constructor(readonly connection: OllamaConnection) {}

  async installed(signal?: AbortSignal): Promise<InstalledModel[]> {
    const models = await this.list('GET /api/tags', (client) => client.list(), signal);
    return models.map((model) => ({
      name: model.name,
      sizeBytes: model.size ?? 0,
      family: model.details?.family ?? '',
      parameterSize: model.details?.parameter_size ?? '',
      quantization: model.details?.quantization_level ?? '',
      ...(model.modified_at ? { modifiedAt: String(model.modified_at) } : {}),
    }));
  }

  async loaded(signal?: AbortSignal): Promise<LoadedModel[]> {
    const models = await this.list('GET /api/ps', (client) => client.ps(), signal);
    return models.map((model) => ({
      name: model.name,
      sizeBytes: model.size ?? 0,
      vramBytes: model.size_vram ?? 0,
      ...(model.expires_at ? { expiresAt: String(model.expires_at) } : {}),
    }));
  }

  /** Downloads a model, reporting progress; abort the signal to cancel (Ollama resumes later pulls). */
  async pull(name: string, options: { onProgress?: (progress: PullProgress) => void; signal?: AbortSignal } = {}): Promise<void> {
    const model = checkName(name);
    const attempt = { host: this.connection.host, request: 'POST /api/pull', model };
    const layers = new Map<string, { total: number; completed: number }>();
    try {
      const stream = await createOllamaClient(this.connection, options.signal).pull({ model, stream: true });
      for await (const raw of stream) {
        const progress = progressSchema.safeParse(raw);
        if (!progress.success) continue;
        const { status, digest, total, completed } = progress.data;
        if (digest && total) layers.set(digest, { total, completed: completed ?? 0 });
        const sums = [...layers.values()].reduce((acc, layer) => ({ total: acc.total + layer.total, done: acc.done + layer.completed }), { total: 0, done: 0 });
        options.onProgress?.({ status, completedBytes: sums.done, totalBytes: sums.total });
      }
    } catch (error) {
      throw pullFailure(failure(error, options.signal, attempt), attempt);
    }
  }

  async delete(name: string, signal?: AbortSignal): Promise<void> {
    const model = checkName(name);
    try {
      await createOllamaClient(this.connection, signal).delete({ model });
    } catch (error) {
      const mapped = failure(error, signal, { host: this.connection.host, request: 'DELETE /api/delete', model });
      if (mapped.code === 'MODEL_NOT_INSTALLED') throw new WasmForgeError('NOT_FOUND', `Model "${model}" is not installed`);
      throw mapped;
    }
  }

  private async list(
    request: string,
    call: (client: ReturnType<typeof createOllamaClient>) => Promise<unknown>,
    signal?: AbortSignal,
  ): Promise<Array<z.infer<typeof modelSchema>>> {
    try {
      const parsed = listSchema.safeParse(await call(createOllamaClient(this.connection, signal)));
      if (!parsed.success) throw new SyntaxError('the model list has an unexpected shape');
      return parsed.data.models ?? [];
    } catch (error) {
      throw failure(error, signal, { host: this.connection.host, request });
    }
  }
}

function checkName(name: string): string {
  if (!MODEL_NAME_PATTERN.test(name)) throw new WasmForgeError('BAD_INPUT', `"${name.slice(0, 80)}" is not a model name such as "qwen2.5:1.5b"`);
  return name;
}

/**
 * Says plainly why a pull failed. Both failures below mention the manifest, so the network one is
 * told apart first: Ollama without internet is not a model missing from its library.
 */
function pullFailure(error: WasmForgeError, attempt: OllamaAttempt & { model: string }): WasmForgeError {
  if (error.code !== 'AI_ERROR') return error;
  const offline = registryUnreachable(error.message);
  if (offline) {
    const why = `${offline.why}; is the machine it runs on offline? ${describeAttempt(attempt)}`;
    return new WasmForgeError('AI_UNAVAILABLE', `Ollama cannot reach its model library (${offline.registry}) to download "${attempt.model}": ${why}`, {
      cause: error,
      hint: 'Connect the machine Ollama runs on to the internet (behind a proxy, start `ollama serve` with HTTPS_PROXY set), then pull again; installed models keep working offline.',
    });
  }
  if (/file does not exist|manifest unknown/i.test(error.message)) {
    return new WasmForgeError('NOT_FOUND', `Ollama's library has no model "${attempt.model}"`, { hint: 'Check the name at https://ollama.com/library' });
  }
  return error;
}
