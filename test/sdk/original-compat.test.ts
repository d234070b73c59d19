import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/sandbox/embedded/engine.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { findSandboxResources } from '../../src/sandbox/resources.ts';

/**
 * Plugins written for the original app run unchanged and behave as they did there: its SDK's
 * send_output was print, its plugins read stdin, and `from platform_sdk import *` brought json.
 */
const runtime = new SandboxRuntime({ engines: { embedded: new EmbeddedEngine({ resources: findSandboxResources(), poolSize: 1 }) } });
afterAll(() => runtime.close());

describe('the original\'s plugins, unchanged', () => {
  it('takes what a plugin printed as its output when it sends none (and keeps it in the logs)', async () => {
    const result = await runtime.run({ code: 'import sys\nprint("hello", "world")\nprint(42)\nsys.stderr.write("a warning\\n")' });
    expect(result.error).toBeNull();
    expect(result.output).toBe('hello world\n42\n');
    expect(result.logs).toContain('hello world\n42\n');
    expect(result.logs).toContain('a warning');
  });

  it('keeps prints out of the output when the plugin sends its own', async () => {
    const result = await runtime.run({ code: 'from platform_sdk import send_output\nprint("working…")\nsend_output("result")' });
    expect([result.output, result.logs]).toEqual(['result', 'working…\n']);
  });

  it('cuts printed output at the output limit instead of failing the run', async () => {
    const result = await runtime.run({ code: 'print("x" * 100_000)', limits: { outputBytes: 64 * 1024 } });
    expect(result.error).toBeNull();
    expect(result.output).toBe('x'.repeat(64 * 1024));
    expect(result.logs).toMatch(/printed text was cut at the 64 KiB output limit/);
  });

  it('puts each send_output on its own line, as print did', async () => {
    const result = await runtime.run({ code: 'from platform_sdk import send_output\nsend_output("first")\nsend_output("second")\nsend_output(3)' });
    expect(result.output).toBe('first\nsecond\n3');
  });

  it('gives input() and sys.stdin the user\'s input', async () => {
    const code = 'import sys\nfrom platform_sdk import send_output\nfirst = input()\nrest = sys.stdin.read()\nsend_output(repr((first, rest)))';
    const result = await runtime.run({ code, input: 'line one\nline two\n' });
    expect(result.output).toBe("('line one', 'line two\\n')");
  });

  it('brings json along with `from platform_sdk import *`', async () => {
    const result = await runtime.run({ code: 'from platform_sdk import *\nsend_output(json.dumps({"k": [1, 2]}))' });
    expect(result.output).toBe('{"k": [1, 2]}');
  });
});
