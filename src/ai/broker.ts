import type { AiCallRecord, RunEvent } from '../shared/run.ts';
import { toErrorInfo, WasmForgeError, type ErrorInfo } from '../shared/errors.ts';
import type { Limits } from '../shared/limits.ts';
import type { AiGenerateRequest, AiProvider } from './provider.ts';
import { checkImages, estimateTokens, normalizeModelName, promptForRecord, promptText, tokenLimitError } from './requests.ts';
import { StreamTable, type StreamRead } from './streams.ts';
import { ORIGINAL_MODELS } from './test-provider.ts';
import { mapBounded, raceDeadline, untilAborted, WaitClock } from './wait-clock.ts';

export interface AiBrokerOptions {
  provider: AiProvider;
  /** Models the user approved in settings; defaults to the original's four. */
  allowList?: string[];
  /** Longest one AI call may take (it is also cut at the run's wall time). */
  callTimeoutMs?: number;
  /** How many calls of one call_ai_many run at the same time. */
  concurrency?: number;
  /** Total decoded image bytes per call. */
  imageBytes?: number;
  /** Told when a plugin asks list_models() (not when a call is checked against the installed models). */
  onListModels?: () => void;
}

export interface AiSessionOptions {
  /**
   * The run's limits as the one pipeline resolved them (effectiveLimits): its calls, prompt size
   * and token budget (prompt plus answer tokens, as Ollama counts them) come from here alone.
   */
  limits: Limits;
  /** A plugin manifest may narrow the approved models further. */
  manifestModels?: string[];
  /** The run's signal: when the run is cancelled or times out, its AI requests are aborted. */
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

export type AiOutcome = { ok: true; text: string } | { ok: false; error: ErrorInfo };

interface Slot {
  index: number;
  record: AiCallRecord;
  started: number;
}

const MODEL_LIST_TTL_MS = 10_000;
const MODEL_LIST_TIMEOUT_MS = 15_000;

/** One run's view of the AI bridge: it enforces the policy and budgets for that run and keeps its records. */
export class AiSession {
  readonly records: AiCallRecord[] = [];
  private readonly clock = new WaitClock();
  private readonly streams = new StreamTable();
  private readonly deadline: number;
  private readonly tokenBudget: number;
  private tokens = 0;
  private calls = 0;

  constructor(private readonly broker: AiBroker, private readonly options: AiSessionOptions) {
    this.deadline = performance.now() + options.limits.wallTimeMs;
    this.tokenBudget = options.limits.aiTokens;
  }

  /** Milliseconds the plugin has spent blocked on AI requests (overlaps counted once). */
  get waitingMs(): number {
    return this.clock.waitingMs;
  }

  get tokensUsed(): number {
    return this.tokens;
  }

  /** Exactly the models this plugin may call: allow-list ∩ installed ∩ manifest. */
  listModels(): Promise<string[]> {
    this.broker.onListModels?.();
    const list = (signal: AbortSignal) => this.broker.approvedModels(this.options.manifestModels, signal);
    return this.clock.time(() => this.withCallSignal('Ollama did not list its models', list));
  }

  async call(request: AiGenerateRequest, options: { onToken?: (text: string) => void } = {}): Promise<string> {
    const [slot] = this.reserve([request.model]);
    return this.clock.time(() => this.generate(slot!, request, options.onToken));
  }

  /** Several calls at once (bounded per run); outcomes in the order of the requests. */
  async callMany(requests: AiGenerateRequest[]): Promise<AiOutcome[]> {
    const slots = this.reserve(requests.map((r) => r.model));
    return this.clock.time(() => mapBounded(requests, this.broker.concurrency, async (request, i): Promise<AiOutcome> => {
      try {
        return { ok: true, text: await this.generate(slots[i]!, request) };
      } catch (error) {
        return { ok: false, error: toErrorInfo(error) };
      }
    }));
  }

  /** Starts a call whose answer the plugin reads piece by piece (`call_ai(..., stream=True)`). */
  openStream(request: AiGenerateRequest): number {
    const [slot] = this.reserve([request.model]);
    return this.streams.open((onToken) => this.generate(slot!, request, onToken));
  }

  /** What arrived since the last read; waits (counted as AI wait) until something has. */
  readStream(id: number): Promise<StreamRead> {
    return this.clock.time(() => this.streams.read(id, this.options.signal));
  }

  async embed(model: string, input: string | string[]): Promise<number[][]> {
    const [slot] = this.reserve([model]);
    return this.clock.time(() => this.embedIn(slot!, model, typeof input === 'string' ? [input] : input));
  }

  private async generate(slot: Slot, raw: AiGenerateRequest, onToken?: (text: string) => void): Promise<string> {
    const { record } = slot;
    return this.settle(slot, async () => {
      const prompt = promptText(raw);
      Object.assign(record, { prompt: promptForRecord(raw), promptChars: prompt.length });
      this.checkPromptLength(prompt.length);
      const checked = checkImages(raw, this.broker.imageBytes);
      const { model, result } = await this.withCallSignal(answerOf(raw.model), async (signal) => {
        const model = await this.checkModel(raw.model, signal);
        const maxAnswerTokens = this.tokenAllowance(prompt);
        this.options.onEvent?.({ type: 'ai-call', model, index: slot.index });
        return {
          model,
          result: await this.broker.provider.generate({ ...checked, model }, {
            signal,
            maxAnswerTokens,
            onToken: (text) => {
              this.options.onEvent?.({ type: 'ai-token', index: slot.index, text });
              onToken?.(text);
            },
          }),
        };
      });
      const promptTokens = result.promptTokens ?? estimateTokens(prompt);
      const responseTokens = result.responseTokens ?? estimateTokens(result.text);
      this.tokens += promptTokens + responseTokens;
      Object.assign(record, {
        ok: true, model, response: result.text, responseChars: result.text.length, promptTokens, responseTokens, replayed: result.replayed === true,
      });
      return result.text;
    });
  }

  private async embedIn(slot: Slot, model: string, input: string[]): Promise<number[][]> {
    return this.settle(slot, async () => {
      Object.assign(slot.record, { prompt: input.join('\n'), promptChars: input.reduce((n, text) => n + text.length, 0) });
      for (const text of input) this.checkPromptLength(text.length);
      const provider = this.broker.provider;
      const { name, result } = await this.withCallSignal(answerOf(model), async (signal) => {
        const name = await this.checkModel(model, signal);
        this.tokenAllowance(input.join('\n'));
        if (!provider.embed) throw new WasmForgeError('AI_ERROR', 'This AI provider cannot make embeddings');
        this.options.onEvent?.({ type: 'ai-call', model: name, index: slot.index });
        return { name, result: await provider.embed({ model: name, input }, { signal }) };
      });
      const promptTokens = result.promptTokens ?? estimateTokens(input.join(' '));
      this.tokens += promptTokens;
      const summary = `[${result.embeddings.length} vectors × ${result.embeddings[0]?.length ?? 0}]`;
      Object.assign(slot.record, { ok: true, model: name, response: summary, promptTokens, responseTokens: 0, replayed: result.replayed === true });
      return result.embeddings;
    });
  }

  /** Runs a call's work and completes its record whatever happens; errors leave typed. */
  private async settle<T>(slot: Slot, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const typed = error instanceof WasmForgeError ? error : new WasmForgeError('AI_ERROR', `AI call failed: ${String(error)}`, { cause: error });
      slot.record.errorCode = typed.code;
      throw typed;
    } finally {
      slot.record.durationMs = Math.round((performance.now() - slot.started) * 10) / 10; // a tenth of a millisecond, no float noise
    }
  }

  /** Counts calls before anything else, so a plugin looping past the limit costs nothing and leaves no records. */
  private reserve(models: string[]): Slot[] {
    const { aiCalls } = this.options.limits;
    if (this.calls + models.length > aiCalls) {
      const left = Math.max(0, aiCalls - this.calls);
      throw new WasmForgeError('AI_CALL_LIMIT', models.length === 1
        ? `This run may make at most ${aiCalls} AI calls`
        : `call_ai_many asked for ${models.length} calls; ${left} of this run's ${aiCalls} remain`);
    }
    this.calls += models.length;
    return models.map((model) => {
      const record: AiCallRecord = { model: String(model).slice(0, 200), promptChars: 0, responseChars: 0, durationMs: 0, ok: false };
      this.records.push(record);
      return { index: this.records.length - 1, record, started: performance.now() };
    });
  }

  private checkPromptLength(chars: number): void {
    const { promptChars } = this.options.limits;
    if (chars > promptChars) throw new WasmForgeError('PROMPT_TOO_LONG', `The prompt has ${chars.toLocaleString('en')} characters; the limit is ${promptChars.toLocaleString('en')}`);
  }

  /** The answer may use what is left of the run's token budget (AI_TOKEN_LIMIT when nothing is). */
  private tokenAllowance(prompt: string): number {
    const promptTokens = estimateTokens(prompt);
    const left = this.tokenBudget - this.tokens - promptTokens;
    if (left <= 0) throw tokenLimitError(this.tokens, this.tokenBudget, promptTokens);
    return left;
  }

  private async checkModel(model: string, signal: AbortSignal): Promise<string> {
    const name = normalizeModelName(model);
    if (!this.broker.allowList.map(normalizeModelName).includes(name)) {
      throw new WasmForgeError('MODEL_NOT_ALLOWED', `Model "${model}" is not approved`, {
        hint: `Approve it on the Models screen, or with \`wasmforge models approve ${name}\``, details: { model: name, reason: 'not-approved' },
      });
    }
    const manifest = this.options.manifestModels;
    if (manifest && !manifest.map(normalizeModelName).includes(name)) {
      throw new WasmForgeError('MODEL_NOT_ALLOWED', `Model "${model}" is not listed in this plugin's manifest`, {
        hint: 'Call it by name in plugin.py (the manifest lists the models the code names), or add it to "models" in plugin.json', details: { model: name, reason: 'not-in-manifest' },
      });
    }
    if (!this.broker.provider.offline && !(await this.broker.installedModels(signal)).has(name)) {
      throw new WasmForgeError('MODEL_NOT_INSTALLED', `Model "${name}" is approved but not installed in Ollama`, {
        hint: `Pull it on the Models screen, or with \`wasmforge models pull ${name}\``, details: { model: name },
      });
    }
    return name;
  }

  /**
   * Every call (the model check included) gets its own deadline inside the run's wall time, and
   * ends when the run ends; the race makes sure of it even when a provider ignores its signal.
   */
  private async withCallSignal<T>(unfinished: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const run = this.options.signal;
    if (run.aborted) throw new WasmForgeError('CANCELLED', 'The run ended before the AI call');
    const ms = Math.max(1, Math.min(this.broker.callTimeoutMs, this.deadline - performance.now()));
    const where = this.broker.provider.location;
    const late = () => new WasmForgeError('AI_UNAVAILABLE', `${unfinished} within ${Math.round(ms / 100) / 10} s${where ? ` (waited for ${where})` : ''}`, {
      hint: 'Is Ollama busy, or the model too large for this machine? Try again, or use a smaller model.',
    });
    return raceDeadline(run, ms, late, work);
  }
}

function answerOf(model: string): string {
  return `The model "${String(model).slice(0, 200)}" did not finish its answer`;
}

export class AiBroker {
  readonly provider: AiProvider;
  readonly allowList: string[];
  readonly callTimeoutMs: number;
  readonly concurrency: number;
  readonly imageBytes: number;
  readonly onListModels?: () => void;
  private installedCache?: { at: number; names: Promise<Set<string>> };

  constructor(options: AiBrokerOptions) {
    this.provider = options.provider;
    this.allowList = options.allowList ?? ORIGINAL_MODELS;
    this.callTimeoutMs = options.callTimeoutMs ?? 120_000;
    this.concurrency = Math.max(1, options.concurrency ?? 2);
    this.imageBytes = options.imageBytes ?? 4 * 1024 * 1024;
    this.onListModels = options.onListModels;
  }

  openSession(options: AiSessionOptions): AiSession {
    return new AiSession(this, options);
  }

  /** Installed model names (normalized), shared by runs for a few seconds: one /api/tags, not one per run. */
  installedModels(signal?: AbortSignal): Promise<Set<string>> {
    const cached = this.installedCache;
    if (cached && performance.now() - cached.at < MODEL_LIST_TTL_MS) return untilAborted(cached.names, signal);
    // Shared by concurrent runs, so one run's cancel must not fail the others: it only stops waiting.
    const names = this.provider.listInstalledModels(AbortSignal.timeout(MODEL_LIST_TIMEOUT_MS))
      .then((list) => new Set(list.map(normalizeModelName)));
    const entry = { at: performance.now(), names };
    this.installedCache = entry;
    names.catch(() => {
      if (this.installedCache === entry) this.installedCache = undefined;
    });
    return untilAborted(names, signal);
  }

  /** Call after a pull or delete so the next run sees the change. */
  invalidateModels(): void {
    this.installedCache = undefined;
  }

  /** allow-list ∩ installed ∩ manifest; AI_UNAVAILABLE when the provider cannot be asked. */
  async approvedModels(manifestModels: string[] | undefined, signal?: AbortSignal): Promise<string[]> {
    const installed = await this.installedModels(signal);
    const manifest = manifestModels?.map(normalizeModelName);
    return [...new Set(this.allowList.map(normalizeModelName))]
      .filter((model) => installed.has(model) && (!manifest || manifest.includes(model)));
  }
}
