import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../shared/run.ts';
import { applyRunEvent, describeRun, failRun, finishRun, startRun, withLatestRun, withResult } from './run-view.ts';

const result: RunResult = {
  ok: true, output: 'final', logs: 'log\n', error: null, durationMs: 12, engine: 'embedded',
  aiCalls: [{ model: 'm', promptChars: 1, responseChars: 5, durationMs: 3, ok: true, response: 'hello' }],
};

describe('run view', () => {
  it('builds output, logs and live AI tokens from the events, then takes the record\'s result (it comes once) as the truth', () => {
    let view = startRun(0);
    view = applyRunEvent(view, { type: 'accepted', runId: 'r1' });
    view = applyRunEvent(view, { type: 'log', text: 'log\n' });
    view = applyRunEvent(view, { type: 'ai-call', model: 'm', index: 0 });
    view = applyRunEvent(view, { type: 'ai-token', index: 0, text: 'hel' });
    view = applyRunEvent(view, { type: 'ai-token', index: 0, text: 'lo' });
    view = applyRunEvent(view, { type: 'output', text: 'fin' });
    expect(view).toMatchObject({ status: 'running', runId: 'r1', logs: 'log\n', output: 'fin', aiCalls: [{ model: 'm', text: 'hello', tokens: 2 }] });
    expect(describeRun(view).tone).toBe('busy');
    view = finishRun(view, { id: 'r1', startedAt: '2025-01-01T00:00:00.000Z', pluginName: 'p', source: 'builder', input: '', result });
    expect(view).toMatchObject({ status: 'done', runId: 'r1', output: 'final', aiCalls: [{ text: 'hello', record: { durationMs: 3 } }] });
    expect(describeRun(view)).toEqual({ tone: 'ok', text: 'Done in 12 ms' });
  });

  it('shows the error code of a failed run or request', () => {
    const failed = withResult(startRun(0), { ...result, ok: false, error: { code: 'TIMEOUT', message: 'too slow' } });
    expect(describeRun(failed)).toEqual({ tone: 'error', text: 'TIMEOUT: too slow' });
    expect(describeRun(failRun(startRun(0), { code: 'INTERNAL', message: 'lost' })).text).toBe('INTERNAL: lost');
  });

  it('puts the run just made on top of a history that does not have it yet, once', () => {
    const record = { id: 'r2', startedAt: '2025-01-01T00:00:00.000Z', pluginName: 'p', source: 'workspace' as const, input: '', result };
    const older = { id: 'r1', startedAt: '2024-12-31T00:00:00.000Z', pluginName: 'p', source: 'workspace' as const, ok: false, errorCode: 'TIMEOUT', durationMs: 5, aiCalls: 0 };
    expect(withLatestRun([older], record)).toEqual([{ id: 'r2', startedAt: record.startedAt, pluginName: 'p', source: 'workspace', ok: true, errorCode: null, durationMs: 12, aiCalls: 1 }, older]);
    expect(withLatestRun([older], { ...record, id: 'r1' })).toEqual([older]);
    expect(withLatestRun([], undefined)).toEqual([]);
  });
});
