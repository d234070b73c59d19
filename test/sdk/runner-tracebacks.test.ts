import { afterAll, describe, expect, it } from 'vitest';
import { SandboxRuntime } from '../../src/sandbox/index.ts';

const runtime = new SandboxRuntime({ warmPoolSize: 1 });
afterAll(() => runtime.close());

describe('the runner’s tracebacks', () => {
  it('fold a line repeated in a row the way Python prints it', async () => {
    const result = await runtime.run({ code: 'import sys\nsys.setrecursionlimit(50000)\ndef f(n):\n    return f(n + 1)\nf(0)' });
    expect(result.error).toMatchObject({ code: 'PLUGIN_ERROR', message: expect.stringMatching(/^RecursionError/), line: 4 });
    const traceback = result.error!.traceback!;
    expect(traceback.match(/File "plugin.py", line 4, in f/g)).toHaveLength(3);
    expect(traceback).toMatch(/\[Previous line repeated 4999\d more times\]\nRecursionError/);
  });

  it('keep the outer and inner frames of a long chain that does not repeat in a row', async () => {
    const code = 'import sys\nsys.setrecursionlimit(3000)\ndef ping(n):\n    return pong(n)\ndef pong(n):\n    return ping(n + 1)\nping(0)';
    const result = await runtime.run({ code });
    const traceback = result.error!.traceback!;
    expect(traceback.split('\n')[1]).toBe('  File "plugin.py", line 7, in <module>');
    expect(traceback).toMatch(/\[\.\.\. \d+ frames omitted \.\.\.\]/);
    expect(traceback.match(/File "plugin.py"/g)).toHaveLength(100);
    expect(traceback).not.toContain('wasmforge_runner');
    expect(result.error?.line).toBeGreaterThanOrEqual(4);
  });
});

describe('the runner’s reports', () => {
  it('arrive as the plugin’s own error however long its message, cut in the middle', async () => {
    const result = await runtime.run({ code: 'raise ValueError("x" * 5_000_000 + " the end")' });
    expect(result.error).toMatchObject({ code: 'PLUGIN_ERROR', message: expect.stringMatching(/^ValueError: x+\n\[\.\.\. \d+ characters omitted \.\.\.\]\nx+ the end$/), line: 1 });
    expect(result.error!.message.length).toBeLessThan(20_000);
    expect(result.error!.traceback).toMatch(/File "plugin.py", line 1/);
  });

  it('carry a syntax error in a very long line, and text that is not valid Unicode', async () => {
    const long = await runtime.run({ code: `x = "${'a'.repeat(600_000)}" +` });
    expect(long.error).toMatchObject({ code: 'SYNTAX_ERROR', line: 1 });
    const odd = await runtime.run({ code: 'raise ValueError(b"odd \\xff bytes".decode("utf-8", "surrogateescape"))' });
    expect(odd.error).toMatchObject({ code: 'PLUGIN_ERROR', message: expect.stringMatching(/^ValueError: odd .+ bytes$/) });
  });
});
