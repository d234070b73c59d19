import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../shared/api/routes.ts';
import type { ApiHandlers } from '../shared/api/types.ts';
import { createDispatcher } from './dispatcher.ts';

const pull = (events: unknown[]) => ({
  'models.pull': async (_input: unknown, { emit }: { emit: (event: unknown) => void }) => {
    for (const event of events) emit(event);
    return { name: 'm', status: 'success' };
  },
}) as unknown as ApiHandlers;

describe('stream events checked where they leave', () => {
  const context = (sent: unknown[]) => ({ signal: new AbortController().signal, emit: (event: unknown) => sent.push(event) });

  it('sends the events the contract describes', async () => {
    const sent: unknown[] = [];
    const progress = { status: 'pulling', completedBytes: 1, totalBytes: 2 };
    const envelope = await createDispatcher(apiRoutes, pull([progress])).dispatch('models.pull', { name: 'm' }, context(sent));
    expect(envelope).toEqual({ ok: true, data: { name: 'm', status: 'success' } });
    expect(sent).toEqual([progress]);
  });

  it('never sends a malformed event, and fails the call as a bug (INTERNAL)', async () => {
    const sent: unknown[] = [];
    const internal: string[] = [];
    const dispatcher = createDispatcher(apiRoutes, pull([{ status: 'x' }, { status: 'ok', completedBytes: 1, totalBytes: 1 }]), { onInternalError: (route) => internal.push(route) });
    const envelope = await dispatcher.dispatch('models.pull', { name: 'm' }, context(sent));
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('emitted an event outside the contract') } });
    expect(sent).toEqual([]);
    expect(internal).toEqual(['models.pull']);
  });
});
