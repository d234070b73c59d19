import { OllamaCatalog, type PullProgress } from '../ai/ollama-catalog.ts';
import { displayHost, resolveOllamaConnection } from '../ai/ollama-connection.ts';
import { checkOllamaHealth } from '../ai/ollama-health.ts';
import { OllamaProvider } from '../ai/ollama-provider.ts';
import type { AiProvider } from '../ai/provider.ts';
import { TestAiProvider } from '../ai/test-provider.ts';
import type { Settings } from '../library/settings.ts';
import { WasmForgeError } from '../shared/errors.ts';
import type { ModelHealth } from '../shared/api/schemas/system.ts';

/** Which provider answers call_ai: Ollama (local or remote, from the settings), or the in-process test one for demos and e2e. */
export type AiProviderKind = 'ollama' | 'test';

export interface InstalledModelInfo {
  name: string;
  sizeBytes?: number;
  family?: string;
  parameterSize?: string;
  quantization?: string;
}

/** The AI side as the app sees it, built from the settings as they are now (host and headers may change at any time). */
export interface AiBackend {
  readonly label: string;
  readonly provider: AiProvider;
  installed(signal?: AbortSignal): Promise<InstalledModelInfo[]>;
  loaded(signal?: AbortSignal): Promise<string[]>;
  health(): Promise<ModelHealth>;
  /** Downloads a model; abort the signal to cancel. */
  pull(name: string, onProgress: (progress: PullProgress) => void, signal: AbortSignal): Promise<void>;
  delete(name: string, signal?: AbortSignal): Promise<void>;
}

export function createAiBackend(kind: AiProviderKind | AiProvider | undefined, settings: Settings): AiBackend {
  if (kind === undefined || kind === 'ollama') return ollamaBackend(settings);
  return providerBackend(kind === 'test' ? new TestAiProvider({ latencyMs: 20 }) : kind, kind === 'test' ? 'test' : 'custom');
}

function ollamaBackend(settings: Settings): AiBackend {
  const connection = resolveOllamaConnection(settings);
  const catalog = new OllamaCatalog(connection);
  return {
    // app.info shows it: credentials in the host stay out.
    label: `ollama ${displayHost(connection.host)}`,
    provider: new OllamaProvider(connection),
    installed: async (signal) => (await catalog.installed(signal)).map((model) => ({
      name: model.name, sizeBytes: model.sizeBytes, ...nonEmpty({ family: model.family, parameterSize: model.parameterSize, quantization: model.quantization }),
    })),
    loaded: async (signal) => (await catalog.loaded(signal)).map((model) => model.name),
    async health() {
      const health = await checkOllamaHealth(connection);
      return {
        reachable: health.reachable, host: health.host, version: health.version, latencyMs: health.latencyMs,
        reason: health.reason && health.hint ? `${sentence(health.reason)}. ${health.hint}` : health.reason,
      };
    },
    pull: (name, onProgress, signal) => catalog.pull(name, { onProgress, signal }),
    delete: (name, signal) => catalog.delete(name, signal),
  };
}

/** Any in-process provider: it knows its model names only, and it is always there. */
function providerBackend(provider: AiProvider, label: string): AiBackend {
  return {
    label,
    provider,
    installed: async (signal) => (await provider.listInstalledModels(signal)).map((name) => ({ name })),
    loaded: async () => [],
    async health() {
      const started = performance.now();
      try {
        await provider.listInstalledModels(AbortSignal.timeout(3000));
        return { reachable: true, host: label, latencyMs: performance.now() - started };
      } catch (error) {
        return { reachable: false, host: label, reason: error instanceof Error ? error.message : String(error) };
      }
    },
    pull: async () => notOllama(label),
    delete: async () => notOllama(label),
  };
}

/** Only Ollama has a catalog to change; the built-in test provider knows a fixed set of names. */
function notOllama(label: string): never {
  throw new WasmForgeError('AI_UNAVAILABLE', `The "${label}" AI provider cannot pull or delete models`, {
    hint: 'Start the app with Ollama (`wasmforge serve --ai ollama`) to manage models.',
  });
}

function nonEmpty<T extends Record<string, string>>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== '')) as Partial<T>;
}

/** Reasons are written to follow "not reachable: …"; standing alone they start a sentence. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
