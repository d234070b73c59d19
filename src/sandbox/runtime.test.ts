import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AiBroker } from '../ai/broker.ts';
import { TestAiProvider } from '../ai/test-provider.ts';
import { LIMIT_MAXIMA } from '../shared/api/schemas/limits.ts';
import type { RunEvent } from '../shared/run.ts';
import { SandboxRuntime } from './index.ts';
import { findSandboxResources } from './resources.ts';
import { CrashableEngine } from '../../test/support/crashable-engine.ts';

const engine = new CrashableEngine({ resources: findSandboxResources(), poolSize: 2 });
const runtime = new SandboxRuntime({ engines: { embedded: engine } });

beforeAll(() => runtime.prewarm());
afterAll(() => runtime.close());

describe('plugins written for the original', () => {
  it('runs the original example unchanged', async () => {
    const code = 'from platform_sdk import call_ai, get_input, send_output\n'
      + 'send_output(call_ai("qwen2.5:1.5b", "Summarize: " + get_input()))\n';
    const result = await runtime.run({ code, input: 'a long text' });
    expect(result).toMatchObject({ ok: true, output: '[qwen2.5:1.5b] Summarize: a long text', error: null, engine: 'embedded' });
    expect(result.aiCalls).toHaveLength(1);
    expect(result.aiCalls[0]).toMatchObject({ model: 'qwen2.5:1.5b', ok: true, promptChars: 22 });
  });

  it('lists exactly the approved models', async () => {
    const code = 'from platform_sdk import list_models, send_output\nsend_output(list_models())';
    const narrow = await runtime.run({ code, manifestModels: ['gemma2:2b', 'not-approved:1b'] });
    expect(JSON.parse(narrow.output)).toEqual(['gemma2:2b']);
  });
});

describe('data passes through exactly', () => {
  it('hands the whole input to get_input and returns the output byte for byte', async () => {
    const input = `line one\n\n  indented\t tab\r\nemoji 🎉 ünïcödé 中文\n${'x'.repeat(70_000)}\n\n`;
    const code = 'from platform_sdk import get_input, send_output\nsend_output(get_input())';
    const result = await runtime.run({ code, input });
    expect(result.output).toBe(input);
  });

  it('sends dicts and lists as JSON, each later output on a line of its own', async () => {
    const code = 'from platform_sdk import send_output\nsend_output({"a": [1, "é"]})\nsend_output([True, None])';
    const result = await runtime.run({ code });
    expect(result.output).toBe('{"a": [1, "é"]}\n[true, null]');
  });

  it('parses JSON input and reports bad JSON as BAD_INPUT', async () => {
    const code = 'from platform_sdk import get_input_json, send_output\nsend_output(get_input_json()["k"] * 2)';
    expect((await runtime.run({ code, input: '{"k": 21}' })).output).toBe('42');
    const bad = await runtime.run({ code, input: '{not json' });
    expect(bad.error?.code).toBe('BAD_INPUT');
  });

  it('turns print() into log lines that never become output or requests', async () => {
    const code = 'import sys\nprint(\'{"type": "call_ai", "model": "x"}\')\nprint("to stderr", file=sys.stderr)\n'
      + 'from platform_sdk import send_output\nsend_output("result")';
    const result = await runtime.run({ code });
    expect(result.output).toBe('result');
    expect(result.logs).toBe('{"type": "call_ai", "model": "x"}\nto stderr\n');
    expect(result.aiCalls).toEqual([]);
  });

  it('streams log and output events before the result, which no event repeats', async () => {
    const events: RunEvent[] = [];
    const code = 'print("hi")\nfrom platform_sdk import send_output\nsend_output("out")';
    await runtime.run({ code, onEvent: (event) => events.push(event) });
    expect(events.map((e) => e.type)).toEqual(['started', 'log', 'output']);
  });

  it('reuses its worker threads: finished runs leave the pool intact', async () => {
    await runtime.whenWarm();
    const before = engine.workersStarted;
    for (let i = 0; i < 6; i++) expect((await runtime.run({ code: 'from platform_sdk import send_output\nsend_output(1)' })).ok).toBe(true);
    await runtime.run({ code: 'raise ValueError("a plugin error is no reason to drop the thread")' });
    expect(engine.workersStarted).toBe(before);
  });

  it('keeps no state between runs', async () => {
    const code = 'import builtins\nfrom platform_sdk import send_output\n'
      + 'send_output(str(getattr(builtins, "leak", "clean")))\nbuiltins.leak = "dirty"';
    const outputs = [];
    for (let i = 0; i < 4; i++) outputs.push((await runtime.run({ code })).output);
    expect(outputs).toEqual(['clean', 'clean', 'clean', 'clean']);
  });
});

describe('errors are typed and point at the user\'s lines', () => {
  it('reports a syntax error with line and column', async () => {
    const result = await runtime.run({ code: 'x = 1\ny = (\n' });
    expect(result.error).toMatchObject({ code: 'SYNTAX_ERROR', line: 2 });
    expect(result.error?.column).toBeGreaterThan(0);
  });

  it('reports an uncaught exception with the plugin traceback only', async () => {
    const result = await runtime.run({ code: 'def f():\n    return 1 / 0\n\nf()\n' });
    expect(result.error).toMatchObject({ code: 'PLUGIN_ERROR', line: 2, message: 'ZeroDivisionError: division by zero' });
    expect(result.error?.traceback).toContain('File "plugin.py", line 4, in <module>');
    expect(result.error?.traceback).not.toContain('wasmforge_runner');
  });

  it('checks syntax without running the code', async () => {
    expect(await runtime.checkSyntax('print("ok")')).toBeNull();
    expect(await runtime.checkSyntax('while True:\n  pass\nsend_output(')).toMatchObject({ code: 'SYNTAX_ERROR', line: 3 });
  });

  it('refuses input over the limit and bad file names before starting', async () => {
    const big = await runtime.run({ code: 'pass', input: 'x'.repeat(2048), limits: { inputBytes: 1024 } });
    expect(big.error?.code).toBe('BAD_INPUT');
    const name = await runtime.run({ code: 'pass', filename: '../etc/passwd' });
    expect(name.error?.code).toBe('BAD_INPUT');
  });
});

describe('limits', () => {
  it('stops a run at its wall-clock limit and the next run works', async () => {
    const result = await runtime.run({ code: 'while True: pass', limits: { wallTimeMs: 500 } });
    expect(result.error?.code).toBe('TIMEOUT');
    expect((await runtime.run({ code: 'from platform_sdk import send_output\nsend_output("up")' })).output).toBe('up');
  });

  it('refuses limits past their maxima as BAD_INPUT, naming the limit, instead of timing out at once', async () => {
    // `wasmforge run --timeout 2500000`: past setTimeout's range, Node would fire the clock at once.
    const result = await runtime.run({ code: 'pass', limits: { wallTimeMs: 2_500_000_000 } });
    expect(result.error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/wallTimeMs \(2500000000\) may be at most 86400000 \(24 hours\)/) });
    const fromSettings = new SandboxRuntime({ engines: { embedded: engine }, limits: { memoryBytes: 2 ** 33 } });
    expect((await fromSettings.run({ code: 'pass' })).error).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/memoryBytes .* at most 4294967296 \(4 GiB\)/) });
  });

  it('reads the settings\' limits at every run: a limit changed or cleared applies to the next run', async () => {
    let settings: { outputBytes?: number } = { outputBytes: 10 };
    const live = new SandboxRuntime({ engines: { embedded: engine }, limits: () => settings });
    const code = 'from platform_sdk import send_output\nsend_output("x" * 100)';
    expect((await live.run({ code })).error?.code).toBe('OUTPUT_LIMIT');
    settings = {};
    expect(await live.run({ code })).toMatchObject({ ok: true, output: 'x'.repeat(100) });
  });

  it('runs a plugin with every limit at its maximum', async () => {
    const result = await runtime.run({ code: 'from platform_sdk import send_output\nsend_output(bytearray(2**20))', limits: { ...LIMIT_MAXIMA } });
    expect(result).toMatchObject({ ok: true, error: null });
    expect(result.output).toHaveLength(2 ** 20);
  });

  it('lets a manifest lower limits but never raise them', async () => {
    const code = 'from platform_sdk import call_ai\nfor i in range(3): call_ai("gemma2:2b", "hi")';
    const lowered = await runtime.run({ code, manifestLimits: { aiCalls: 2 } });
    expect(lowered.error?.code).toBe('AI_CALL_LIMIT');
    const raised = await runtime.run({ code: 'while True: pass', limits: { wallTimeMs: 400 }, manifestLimits: { wallTimeMs: 10 ** 9 } });
    expect(raised.error?.code).toBe('TIMEOUT');
  });

  it('caps memory at the WebAssembly level', async () => {
    const result = await runtime.run({ code: 'blocks = []\nwhile True: blocks.append(bytearray(10**7))', limits: { memoryBytes: 64 * 2 ** 20 } });
    expect(result.error?.code).toBe('MEMORY_LIMIT');
    expect(result.memoryBytes).toBeLessThanOrEqual(64 * 2 ** 20);
  });

  it('truncates logs past their cap with a marker and still finishes', async () => {
    const code = 'import sys\nfor i in range(3000): sys.stderr.write("x" * 1000)\nfrom platform_sdk import send_output\nsend_output("finished")';
    const result = await runtime.run({ code, limits: { logBytes: 100_000 } });
    expect(result.output).toBe('finished');
    expect(result.logs).toMatch(/\[wasmforge\] logs truncated/);
    expect(result.logs.length).toBeLessThan(101_000);
  });
});

describe('cancel and crash recovery', () => {
  it('cancels a running plugin and the next run works', async () => {
    const controller = new AbortController();
    const events: string[] = [];
    const running = runtime.run({
      code: 'print("started", flush=True)\nwhile True: pass',
      signal: controller.signal,
      onEvent: (event) => { if (event.type === 'log') controller.abort(); events.push(event.type); },
    });
    const result = await running;
    expect(result.error?.code).toBe('CANCELLED');
    expect(events).toContain('log');
    expect((await runtime.run({ code: 'from platform_sdk import send_output\nsend_output(1)' })).output).toBe('1');
  });

  it('honours a cancel that came before the run began', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runtime.run({ code: 'while True: pass', signal: controller.signal, limits: { wallTimeMs: 30_000 } });
    expect(result.error?.code).toBe('CANCELLED');
  });

  it('reports ENGINE_CRASHED when the engine dies mid-run, then restarts it', async () => {
    let crashed: Promise<void> | undefined;
    const running = runtime.run({ code: 'print("go", flush=True)\nwhile True: pass', onEvent: (event) => {
      if (event.type === 'log') crashed = engine.simulateCrash();
    } });
    expect((await running).error?.code).toBe('ENGINE_CRASHED');
    // Every engine thread was brought down, the warm ones too: the next run must not be handed one still dying.
    await crashed;
    expect((await runtime.run({ code: 'from platform_sdk import send_output\nsend_output("back")' })).output).toBe('back');
  });

  it('answers AI failures with typed errors the plugin can catch', async () => {
    const broker = new AiBroker({ provider: new TestAiProvider({ failWith: 'AI_UNAVAILABLE' }) });
    const code = 'from platform_sdk import call_ai, send_output, AIUnavailableError\n'
      + 'try:\n    call_ai("gemma2:2b", "hi")\nexcept AIUnavailableError as e:\n    send_output("caught: " + type(e).__name__)';
    expect((await runtime.run({ code, broker })).output).toBe('caught: AIUnavailableError');
    const uncaught = await runtime.run({ code: 'from platform_sdk import call_ai\ncall_ai("gemma2:2b", "hi")', broker });
    expect(uncaught.error?.code).toBe('AI_UNAVAILABLE');
  });
});

describe('compute time', () => {
  it('stops a plugin that computes past its compute budget, even with wall time to spare', async () => {
    const result = await runtime.run({ code: 'while True: pass', limits: { wallTimeMs: 60_000, computeTimeMs: 500 } });
    expect(result.error?.code).toBe('COMPUTE_LIMIT');
  });

  it('does not count time spent waiting for AI answers', async () => {
    const slowBroker = new AiBroker({ provider: new TestAiProvider({ latencyMs: 400 }) });
    const code = 'from platform_sdk import call_ai, send_output\nfor i in range(3): call_ai("gemma2:2b", "hi")\nsend_output("done")';
    const result = await runtime.run({ code, broker: slowBroker, limits: { computeTimeMs: 1000 } });
    expect(result.output).toBe('done');
    expect(result.aiCalls).toHaveLength(3);
  });
});
