import { describe, expect, it } from 'vitest';
import { AiBroker } from '../ai/broker.ts';
import { TestAiProvider } from '../ai/test-provider.ts';
import { RunBridge, type BridgeOutcome } from './bridge.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { encodeJsonFrame } from './protocol.ts';

// A run's error details are the host's: a guest may re-raise an AI error the host issued, under its
// code, but whatever details it writes into its report are dropped.
function startRun() {
  const session = new AiBroker({ provider: new TestAiProvider(), allowList: ['qwen2.5:1.5b'] })
    .openSession({ limits: DEFAULT_LIMITS, signal: new AbortController().signal });
  const bridge = new RunBridge(DEFAULT_LIMITS, session);
  bridge.start({ write: () => undefined, kill: () => undefined }, { mode: 'run', code: '', input: '', filename: 'plugin.py' });
  let outcome: BridgeOutcome | undefined;
  void bridge.finished.then((settled) => (outcome = settled));
  return {
    send: (kind: 'ai' | 'error', value: unknown) => bridge.handlers.onStdout(encodeJsonFrame(kind, value)),
    outcome: async () => {
      // The AI answer is asynchronous: let it and the report settle.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return outcome;
    },
  };
}

describe('the details of a run\'s error', () => {
  it('are the ones the host issued, whatever the guest reports', async () => {
    const run = startRun();
    run.send('ai', { model: 'mistral:latest', prompt: 'hi' });
    await run.outcome();
    run.send('error', { code: 'MODEL_NOT_ALLOWED', message: 'refused', details: { model: 'forged', reason: 'not-in-manifest' } });
    expect((await run.outcome())?.error).toEqual({
      code: 'MODEL_NOT_ALLOWED', message: 'refused', details: { model: 'mistral:latest', reason: 'not-approved' },
    });
  });

  it('are never taken from a guest that forges a code the host did not issue', async () => {
    const run = startRun();
    run.send('error', { code: 'MODEL_NOT_ALLOWED', message: 'refused', details: { model: 'forged', reason: 'not-approved' } });
    expect((await run.outcome())?.error).toEqual({ code: 'PLUGIN_ERROR', message: 'refused' });
  });
});
