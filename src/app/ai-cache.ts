import { AiBroker } from '../ai/broker.ts';
import type { AiProvider } from '../ai/provider.ts';
import type { Settings } from '../library/settings.ts';
import { createAiBackend, type AiBackend, type AiProviderKind } from './ai-backend.ts';

interface Built {
  key: string;
  backend: AiBackend;
  broker: AiBroker;
}

/**
 * The AI backend and broker for the settings as they are now, kept while the Ollama settings stay
 * the same: the broker's list of installed models is then shared by runs for its few seconds
 * instead of being asked for again by every run. A change of host, headers or allow-list builds
 * new ones.
 */
export class AiCache {
  private built?: Built;

  constructor(private readonly kind: AiProviderKind | AiProvider | undefined) {}

  backend(settings: Settings): AiBackend {
    return this.for(settings).backend;
  }

  broker(settings: Settings): AiBroker {
    return this.for(settings).broker;
  }

  private for(settings: Settings): Built {
    const key = JSON.stringify(settings.ollama);
    if (this.built?.key === key) return this.built;
    const backend = createAiBackend(this.kind, settings);
    this.built = { key, backend, broker: new AiBroker({ provider: backend.provider, allowList: settings.ollama.allowList }) };
    return this.built;
  }
}
