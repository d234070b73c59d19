import { toErrorInfo, type ErrorInfo } from '../../src/shared/errors.ts';
import { effectiveLimits } from '../../src/shared/limits.ts';
import type { RunResult } from '../../src/shared/run.ts';
import type { SandboxLike } from '../../src/app/context.ts';

type RunRequest = Parameters<SandboxLike['run']>[0];

/**
 * A stand-in for the sandbox in transport tests: deterministic and instant. `WAIT` in the code
 * makes a run wait for its cancel; `FAIL` makes it fail with PLUGIN_ERROR; `ASK_AI` sends the
 * input as a prompt to qwen2.5:1.5b through the run's broker (the real AI policy) and outputs the
 * answer; otherwise it echoes the input upper-cased, after one log line and one AI token.
 */
export class FakeSandbox implements SandboxLike {
  readonly requests: RunRequest[] = [];

  async run(request: RunRequest): Promise<RunResult> {
    // The app reads a saved or published plugin's models with a detector run (model-detection.ts): answered here, not counted as a run.
    if (request.filename === 'detect_models.py') return this.detectModels(request.input ?? '');
    this.requests.push(request);
    const emit = request.onEvent ?? (() => undefined);
    emit({ type: 'started', engine: 'embedded' });
    emit({ type: 'log', text: 'working\n' });
    if (request.code.includes('WAIT')) await untilAborted(request.signal);
    if (request.signal?.aborted) return this.finish(request, { code: 'CANCELLED', message: 'The run was cancelled' }, '');
    if (request.code.includes('FAIL')) return this.finish(request, { code: 'PLUGIN_ERROR', message: 'boom' }, '');
    if (request.code.includes('ASK_AI')) return this.askAi(request);
    emit({ type: 'ai-call', model: 'qwen2.5:1.5b', index: 0 });
    emit({ type: 'ai-token', index: 0, text: 'tok' });
    const output = (request.input ?? '').toUpperCase();
    emit({ type: 'output', text: output });
    return this.finish(request, null, output);
  }

  async checkSyntax(code: string): Promise<ErrorInfo | null> {
    return code.includes('def (') ? { code: 'SYNTAX_ERROR', message: 'invalid syntax', line: 1, column: 5 } : null;
  }

  async engineStatus(): ReturnType<SandboxLike['engineStatus']> {
    return { embedded: { available: true, version: 'fake' }, wasmedge: { available: false, reason: 'not in tests' } };
  }

  async prepareEngine(name: Parameters<SandboxLike['prepareEngine']>[0]): ReturnType<SandboxLike['prepareEngine']> {
    return (await this.engineStatus())[name];
  }

  async close(): Promise<void> {}

  /** The detector's input is every module's text by path (JSON, model-detection.ts). */
  private detectModels(input: string): RunResult {
    const code = Object.values(JSON.parse(input) as Record<string, string>).join('\n');
    const models = [...new Set([...code.matchAll(/call_ai\(\s*"([^"]+)"/g)].map((match) => match[1]))];
    return { ok: true, output: JSON.stringify({ models, dynamic: false }), logs: '', error: null, aiCalls: [], durationMs: 1, engine: 'embedded' };
  }

  private async askAi(request: RunRequest): Promise<RunResult> {
    if (!request.broker) return this.finish(request, { code: 'AI_UNAVAILABLE', message: 'no broker' }, '');
    const limits = effectiveLimits(undefined, request.manifestLimits, { limits: request.limits, by: 'owner' });
    const session = request.broker.openSession({ limits, manifestModels: request.manifestModels, signal: request.signal ?? new AbortController().signal });
    try {
      const answer = await session.call({ model: 'qwen2.5:1.5b', prompt: request.input ?? '' });
      request.onEvent?.({ type: 'output', text: answer });
      return this.finish(request, null, answer, session.records);
    } catch (error) {
      return this.finish(request, toErrorInfo(error), '', session.records);
    }
  }

  private finish(request: RunRequest, error: ErrorInfo | null, output: string, aiCalls: RunResult['aiCalls'] = []): RunResult {
    // The result travels once, as the return value: no event carries it.
    return { ok: error === null, output, logs: 'working\n', error, aiCalls, durationMs: 1, engine: 'embedded' };
  }
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal || signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
