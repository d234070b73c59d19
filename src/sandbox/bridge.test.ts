import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AiBroker } from '../ai/broker.ts';
import { TestAiProvider } from '../ai/test-provider.ts';
import { RunBridge, type BridgeOutcome } from './bridge.ts';
import type { Guest } from './engine.ts';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.ts';
import { encodeFrame, encodeJsonFrame, MAX_REQUEST_BYTES } from './protocol.ts';

// The bridge against a scripted guest: what it writes, when it leaves. Fake timers stand in for
// a busy host, so the exit window is tested without any real waiting.
const KiB = 1024;
const MiB = 1024 * KiB;

class ScriptedGuest implements Guest {
  kills = 0;
  constructor(readonly exitAfterReportMs?: number) {}
  write(): void { /* the job and the answers: nothing to do with them here */ }
  kill(): void {
    this.kills += 1;
  }
}

function startRun(limits: Partial<SandboxLimits> = {}, exitAfterReportMs?: number) {
  const runLimits = { ...DEFAULT_LIMITS, ...limits };
  const session = new AiBroker({ provider: new TestAiProvider() }).openSession({ limits: runLimits, signal: new AbortController().signal });
  const bridge = new RunBridge(runLimits, session);
  const guest = new ScriptedGuest(exitAfterReportMs);
  bridge.start(guest, { mode: 'run', code: '', input: '', filename: 'plugin.py' });
  let outcome: BridgeOutcome | undefined;
  void bridge.finished.then((settled) => (outcome = settled));
  return {
    guest,
    send: (bytes: Uint8Array | string) => bridge.handlers.onStdout(typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes),
    exitCleanly: () => bridge.handlers.onExit({ reason: 'exited', exitCode: 0 }),
    exitKilled: () => bridge.handlers.onExit({ reason: 'killed' }),
    /** The outcome once the bridge has settled, or undefined while the run is still open. */
    outcome: async () => {
      await Promise.resolve();
      return outcome;
    },
  };
}

describe('RunBridge: leaving after the report', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] }));
  afterEach(() => vi.useRealTimers());

  it('lets a guest that is slow to leave after `done` succeed (a busy host, an engine tearing down)', async () => {
    const run = startRun();
    run.send(encodeFrame('out', 'result'));
    run.send(encodeFrame('done', ''));
    await vi.advanceTimersByTimeAsync(900);
    expect(await run.outcome()).toBeUndefined();
    run.exitCleanly();
    expect(await run.outcome()).toMatchObject({ error: null, output: 'result' });
    expect(run.guest.kills).toBe(0);
  });

  it("gives a slow engine's guest the exit window it asks for: a forged `done`, then the real failure, reported late", async () => {
    // WasmEdge's interpreter imports traceback (~3.4 s) before it can report a failure.
    const run = startRun({}, 20_000);
    run.send(encodeFrame('done', ''));
    await vi.advanceTimersByTimeAsync(3500);
    expect(await run.outcome()).toBeUndefined();
    run.send(encodeJsonFrame('error', { code: 'PLUGIN_ERROR', message: 'ValueError: real failure', traceback: '' }));
    run.exitCleanly();
    expect(await run.outcome()).toMatchObject({ error: { code: 'PLUGIN_ERROR', message: 'ValueError: real failure' } });
    expect(run.guest.kills).toBe(0);
  });

  it('stops a guest that stays after `done`: a forged report never makes a run succeed', async () => {
    const run = startRun();
    run.send(encodeFrame('done', ''));
    await vi.advanceTimersByTimeAsync(5000);
    expect((await run.outcome())?.error).toMatchObject({ code: 'PLUGIN_ERROR', message: expect.stringMatching(/kept running/) });
    expect(run.guest.kills).toBe(1);
    run.exitKilled();
    expect((await run.outcome())?.error?.code).toBe('PLUGIN_ERROR');
  });

  it('stops a guest that stays after its error report, and the report stands', async () => {
    const run = startRun();
    run.send(encodeJsonFrame('error', { code: 'PLUGIN_ERROR', message: 'ValueError: real failure', traceback: '' }));
    expect((await run.outcome())?.error).toMatchObject({ code: 'PLUGIN_ERROR', message: 'ValueError: real failure' });
    expect(run.guest.kills).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(run.guest.kills).toBe(1);
  });
});

describe('RunBridge: each kind of frame has its own size cap', () => {
  it('refuses an AI request over 8 MiB at its header, even when the output limit is larger', async () => {
    const run = startRun({ outputBytes: 16 * MiB });
    run.send(`\x1eWF:ai:${MAX_REQUEST_BYTES + 1}\n`);
    expect((await run.outcome())?.error).toMatchObject({ code: 'PROMPT_TOO_LONG', message: expect.stringMatching(/at most 8 MiB/) });
    expect(run.guest.kills).toBe(1);
  });

  it('refuses an output frame past the output limit at its header, without waiting for its bytes', async () => {
    const run = startRun({ outputBytes: 64 * KiB });
    run.send(`\x1eWF:out:${8 * MiB}\n`);
    expect((await run.outcome())?.error).toMatchObject({ code: 'OUTPUT_LIMIT', message: expect.stringMatching(/64 KiB/) });
    expect(run.guest.kills).toBe(1);
  });

  it('still takes output up to the limit, and a large error report with a small output limit', async () => {
    const output = startRun({ outputBytes: 64 * KiB });
    output.send(encodeFrame('out', 'o'.repeat(64 * KiB)));
    output.send(encodeFrame('done', ''));
    output.exitCleanly();
    expect((await output.outcome())?.output).toHaveLength(64 * KiB);

    // The longest report the bridge accepts, in JSON's longest escapes: about 3.4 MB.
    const report = { code: 'PLUGIN_ERROR', message: '\u0001'.repeat(64 * KiB), traceback: '\u0001'.repeat(512 * KiB) };
    const failed = startRun({ outputBytes: 64 * KiB });
    failed.send(encodeJsonFrame('error', report));
    expect((await failed.outcome())?.error).toMatchObject({ code: 'PLUGIN_ERROR', traceback: report.traceback });
  });
});
