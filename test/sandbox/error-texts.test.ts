import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { exitError } from '../../src/sandbox/bridge.ts';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits.ts';
import type { ErrorInfo } from '../../src/shared/errors.ts';

// Issue #12: each thing said once, in units people read, naming screens rather than settings keys.
// `error CODE: message` plus `hint: …` is how the CLI prints an error, and the UI shows the same two lines.
const rendered = (error: ErrorInfo | null) => error && `${error.code}: ${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`;

const runtime = new SandboxRuntime({ warmPoolSize: 1 });
beforeAll(() => runtime.prewarm());
afterAll(() => runtime.close());

describe('error texts', () => {
  it('a refused model the plugin lets through says the host\'s words once, with the screen and the command that fix it', async () => {
    const result = await runtime.run({ code: 'from platform_sdk import call_ai\ncall_ai("llava:latest", "x")\n' });
    expect(rendered(result.error)).toBe('MODEL_NOT_ALLOWED: Model "llava:latest" is not approved\n'
      + 'hint: Approve it on the Models screen, or with `wasmforge models approve llava:latest`');
    // The traceback still names the Python class, where a programmer looks for it.
    expect(result.error?.traceback).toContain('platform_sdk.ModelNotAllowedError: Model "llava:latest" is not approved');
  });

  it('a plugin raising its own words under an AI error keeps them', async () => {
    const code = 'from platform_sdk import call_ai, AIError\ntry:\n    call_ai("llava:latest", "x")\nexcept AIError as e:\n    raise type(e)("my own words")\n';
    expect((await runtime.run({ code })).error?.message).toBe('ModelNotAllowedError: my own words');
  });

  it('memory and input limits in MiB', async () => {
    const memory = await runtime.run({ code: 'x = "a" * (100 * 1024 * 1024)\n', limits: { memoryBytes: 64 * 1024 * 1024 } });
    expect(rendered(memory.error)).toBe('MEMORY_LIMIT: The plugin used more than 64 MiB of memory (MemoryError)');
    const input = await runtime.run({ code: 'pass', input: 'x'.repeat(3 * 1024 * 1024 / 2) });
    expect(rendered(input.error)).toBe('BAD_INPUT: The input is 1.5 MiB; the limit is 1 MiB');
  });

  it('a prompt over its limit counts characters as people write numbers', async () => {
    const result = await runtime.run({ code: 'from platform_sdk import call_ai\ncall_ai("qwen2.5:1.5b", "x" * 5000)\n' });
    expect(result.error?.message).toBe('The prompt has 5,000 characters; the limit is 4,000');
  });

  it('a WebAssembly fault names the fault once', () => {
    const error = exitError({ reason: 'trap', message: 'RuntimeError: unreachable' }, DEFAULT_LIMITS);
    expect(rendered(error)).toBe('PLUGIN_ERROR: The Python interpreter crashed (WebAssembly fault: unreachable)');
  });
});
