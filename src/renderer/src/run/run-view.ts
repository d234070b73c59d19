import type { RunStreamEvent } from '../../../shared/api/routes.ts';
import type { RunRecord, RunSummary } from '../../../shared/api/schemas/runs.ts';
import type { ErrorInfo } from '../../../shared/errors.ts';
import type { AiCallRecord, RunResult } from '../../../shared/run.ts';
import { formatBytes, formatMs } from '../../../shared/units.ts';

export { formatBytes, formatMs };

/** One AI call as the trace shows it: tokens as they stream, then the final record. */
export interface AiCallView {
  index: number;
  model: string;
  text: string;
  /** Tokens received so far while it streams. */
  tokens: number;
  record?: AiCallRecord;
}

/** Everything a result pane shows about one run, built from its stream of events. */
export interface RunView {
  status: 'idle' | 'running' | 'done';
  runId?: string;
  engine?: string;
  output: string;
  logs: string;
  aiCalls: AiCallView[];
  result?: RunResult;
  /** The request itself failed (bad input, connection lost), as opposed to the plugin. */
  failure?: ErrorInfo;
  record?: RunRecord;
  /** Date.now() when the run started, for the live clock. */
  startedAt?: number;
}

export const IDLE_RUN: RunView = { status: 'idle', output: '', logs: '', aiCalls: [] };

export function startRun(now: number): RunView {
  return { ...IDLE_RUN, status: 'running', startedAt: now };
}

export function applyRunEvent(view: RunView, event: RunStreamEvent): RunView {
  switch (event.type) {
    case 'accepted':
      return { ...view, runId: event.runId };
    case 'started':
      return { ...view, engine: event.engine };
    case 'log':
      return { ...view, logs: view.logs + event.text };
    case 'output':
      return { ...view, output: view.output + event.text };
    case 'ai-call':
      return { ...view, aiCalls: [...view.aiCalls.filter((c) => c.index !== event.index), { index: event.index, model: event.model, text: '', tokens: 0 }] };
    case 'ai-token':
      return { ...view, aiCalls: view.aiCalls.map((c) => (c.index === event.index ? { ...c, text: c.text + event.text, tokens: c.tokens + 1 } : c)) };
    default:
      return view;
  }
}

/** The final result (it comes once, with the run's record) is the truth: output and logs as the sandbox kept them, every AI call with its record. */
export function withResult(view: RunView, result: RunResult): RunView {
  const aiCalls = result.aiCalls.map((record, index): AiCallView => {
    const streamed = view.aiCalls.find((c) => c.index === index);
    return { index, model: record.model, text: record.response ?? streamed?.text ?? '', tokens: record.responseTokens ?? streamed?.tokens ?? 0, record };
  });
  return { ...view, status: 'done', output: result.output, logs: result.logs, aiCalls, result, engine: result.engine };
}

export function finishRun(view: RunView, record: RunRecord): RunView {
  return { ...withResult(view, record.result), record, runId: record.id };
}

export function failRun(view: RunView, failure: ErrorInfo): RunView {
  return { ...view, status: 'done', failure };
}

/** A past run reopened from the history. */
export function viewOfRecord(record: RunRecord): RunView {
  return finishRun({ ...IDLE_RUN }, record);
}

/**
 * The history with the run just made at its top: the server keeps a run in the history without
 * making the caller wait, so a reload right after the run may not have it yet.
 */
export function withLatestRun(history: RunSummary[], latest: RunRecord | undefined): RunSummary[] {
  if (!latest || history.some((run) => run.id === latest.id)) return history;
  const { result } = latest;
  return [{
    id: latest.id, startedAt: latest.startedAt, pluginName: latest.pluginName, source: latest.source,
    ok: result.ok, errorCode: result.error?.code ?? null, durationMs: result.durationMs, aiCalls: result.aiCalls.length,
  }, ...history];
}

/** What the status line says about a run. */
export function describeRun(view: RunView): { tone: 'idle' | 'busy' | 'ok' | 'error'; text: string } {
  if (view.status === 'idle') return { tone: 'idle', text: 'Not run yet' };
  if (view.status === 'running') return { tone: 'busy', text: 'Running…' };
  const error = view.failure ?? view.result?.error;
  if (error) return { tone: 'error', text: `${error.code}: ${error.message}` };
  return { tone: 'ok', text: `Done in ${formatMs(view.result?.durationMs ?? 0)}` };
}

