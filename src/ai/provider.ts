/**
 * The seam between the sandbox and whatever answers AI calls. The sandbox's bridge only ever
 * talks to an AiBroker session (policy + budgets); the broker talks to a provider.
 */
export interface AiChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Base64 images for vision models. */
  images?: string[];
}

export interface AiGenerateRequest {
  model: string;
  prompt?: string;
  messages?: AiChatMessage[];
  system?: string;
  temperature?: number;
  maxTokens?: number;
  json?: boolean;
  /** Base64 images for vision models (prompt form; in chat form they go on the messages). */
  images?: string[];
}

export interface AiGenerateResult {
  text: string;
  promptTokens?: number;
  responseTokens?: number;
  /** Ollama's done_reason: "stop", or "length" when num_predict cut the answer. */
  doneReason?: string;
  /** The answer came from a recording rather than a model. */
  replayed?: boolean;
}

export interface AiGenerateOptions {
  signal: AbortSignal;
  /** Called with each piece of text as it arrives, for streaming to the caller of the run. */
  onToken?: (text: string) => void;
  /** The most tokens the answer may use (what is left of the run's budget); the provider caps the answer to it. */
  maxAnswerTokens?: number;
}

export interface AiEmbedRequest {
  model: string;
  input: string[];
}

export interface AiEmbedResult {
  embeddings: number[][];
  promptTokens?: number;
  replayed?: boolean;
}

export interface AiProvider {
  /**
   * Answers without a model store (a replay): the broker then skips the "installed" check on
   * calls, so a call the recording lacks is reported as a replay miss, not as a missing model.
   */
  readonly offline?: boolean;
  /** Where the answers come from, for messages the provider cannot word itself (e.g. "Ollama at http://…:11434"). */
  readonly location?: string;
  /** Names of the models installed where the provider runs them. */
  listInstalledModels(signal?: AbortSignal): Promise<string[]>;
  generate(request: AiGenerateRequest, options: AiGenerateOptions): Promise<AiGenerateResult>;
  /** Embeddings; providers without them leave this out and the broker answers AI_ERROR. */
  embed?(request: AiEmbedRequest, options: { signal: AbortSignal }): Promise<AiEmbedResult>;
}
