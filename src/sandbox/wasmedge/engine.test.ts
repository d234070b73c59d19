import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WasmForgeError } from '../../shared/errors.ts';
import type { GuestExit, GuestSpec } from '../engine.ts';
import { SandboxRuntime } from '../index.ts';
import { encodeJob } from '../guest-code.ts';
import { encodeFrame, FrameParser, type Frame } from '../protocol.ts';
import { findSandboxResources } from '../resources.ts';
import { discoverWasmEdge, NOT_FOUND_REASON } from './binary.ts';
import { WasmEdgeEngine } from './engine.ts';

const resources = findSandboxResources();
const dataHome = mkdtempSync(join(tmpdir(), 'wasmforge-wasmedge-engine-'));
afterAll(() => rmSync(dataHome, { recursive: true, force: true }));
const spec: GuestSpec = { memoryPages: 4096, logBytes: 1 << 20, outputBytes: 1 << 20, wallTimeMs: 60_000 };

describe('WasmEdgeEngine without a wasmedge binary', () => {
  const engine = new WasmEdgeEngine({ resources: { ...resources, wasmedgeDir: join(dataHome, 'none') }, dataHome, env: { PATH: join(dataHome, 'empty') } });
  afterAll(() => engine.close());

  it('reports itself unavailable with a clear reason', async () => {
    expect(await engine.status()).toEqual({ available: false, reason: NOT_FOUND_REASON });
  });

  it('refuses to start a guest with ENGINE_UNAVAILABLE and a hint', async () => {
    const handlers = { onStdout: () => undefined, onStderr: () => undefined, onExit: () => undefined };
    const error = await engine.acquire(spec, handlers).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WasmForgeError);
    expect(error).toMatchObject({ code: 'ENGINE_UNAVAILABLE', message: NOT_FOUND_REASON });
    expect((error as WasmForgeError).hint).toContain('WASMFORGE_WASMEDGE');
  });

  it('rejects nonsense limits as BAD_INPUT before anything starts', async () => {
    const handlers = { onStdout: () => undefined, onStderr: () => undefined, onExit: () => undefined };
    await expect(engine.acquire({ ...spec, memoryPages: -1 }, handlers)).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('ignores prewarm and closes cleanly', async () => {
    engine.prewarm(spec);
    await expect(engine.close()).resolves.toBeUndefined();
  });
});

const discovery = await discoverWasmEdge({ wasmedgeDir: resources.wasmedgeDir });
if (!discovery.found) {
  const detail = discovery.reason === NOT_FOUND_REASON ? '' : ` (${discovery.reason})`;
  console.warn(`[skipped] real WasmEdge tests: ${NOT_FOUND_REASON}${detail}`);
}

/** Runs one job straight on an engine guest and collects its frames, console and exit. */
async function runOnGuest(engine: WasmEdgeEngine, guestSpec: GuestSpec, code: string, options: { killAfterStart?: boolean } = {}) {
  const frames: Frame[] = [];
  let stray = '';
  let stderr = '';
  const parser = new FrameParser({ onFrame: (f) => frames.push(f), onStray: (b) => { stray += new TextDecoder().decode(b); }, onOversize: () => undefined }, () => 1 << 24);
  const exited = new Promise<GuestExit>((resolve) => {
    void engine.acquire(guestSpec, {
      onStdout: (b) => parser.push(b),
      onStderr: (b) => { stderr += new TextDecoder().decode(b); },
      onExit: resolve,
    }).then((guest) => {
      guest.write(encodeFrame('run', encodeJob({ mode: 'run', code, input: '', filename: 'plugin.py' })));
      if (options.killAfterStart) setTimeout(() => guest.kill(), 500);
    });
  });
  const exit = await exited;
  return { frames, stray, stderr, exit };
}

describe.skipIf(!discovery.found)('WasmEdgeEngine with a real wasmedge', () => {
  const engine = new WasmEdgeEngine({ resources, dataHome, aot: false, warmPoolSize: 1 });
  const runtime = new SandboxRuntime({ engines: { wasmedge: engine }, defaultEngine: 'wasmedge', resources, dataHome });
  afterAll(() => runtime.close());

  it('is available and reports its version', async () => {
    const status = await engine.status();
    expect(status).toMatchObject({ available: true });
    expect(status.available && status.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs hello world: output through frames, print() to the logs', async () => {
    runtime.prewarm();
    const result = await runtime.run({ code: 'from platform_sdk import send_output\nprint("a log line")\nsend_output("hello")' });
    expect(result).toMatchObject({ ok: true, output: 'hello', error: null, engine: 'wasmedge' });
    expect(result.logs).toContain('a log line');
  });

  it('hands a multi-line Unicode input over stdin exactly', async () => {
    const input = 'line one\n\n  indented\ttab\r\nemoji 🎉 中文\n[2026-11-25 02:58:16.176] [error] looks like WasmEdge\n';
    const result = await runtime.run({ code: 'from platform_sdk import get_input, send_output\nsend_output(get_input())', input });
    expect(result.output).toBe(input);
  });

  it('never strips WasmEdge-looking lines from a frame payload', async () => {
    const code = 'from platform_sdk import send_output\nsend_output("[2026-11-25 02:58:16.176] [error] Memory grow page failed\\nafter\\n")';
    const result = await runtime.run({ code });
    expect(result).toMatchObject({ ok: true, output: '[2026-11-25 02:58:16.176] [error] Memory grow page failed\nafter\n' });
  });

  it('enforces the memory limit at the wasm level', async () => {
    // 200 MiB fits in wasm32 and under the default 256 MiB: only the 64 MiB page limit can refuse it.
    const code = 'from platform_sdk import send_output\nx = bytearray(200 * 2**20)\nsend_output(len(x))';
    expect((await runtime.run({ code })).output).toBe(String(200 * 2 ** 20));
    const result = await runtime.run({ code, limits: { memoryBytes: 64 * 1024 * 1024 } });
    expect(result.error?.code).toBe('MEMORY_LIMIT');
  });

  it('stops an endless loop at the run time limit', async () => {
    const result = await runtime.run({ code: 'while True:\n    pass', limits: { wallTimeMs: 3000 } });
    expect(result.error?.code).toBe('TIMEOUT');
  });

  it("lets WasmEdge's own --time-limit stop a guest (exit 134) when the host does not", async () => {
    const strict = new WasmEdgeEngine({ resources, dataHome, aot: false, warmPoolSize: 0, startupTimeoutMs: 20_000, backstopGraceMs: 600_000 });
    try {
      const { exit } = await runOnGuest(strict, { ...spec, wallTimeMs: 2000 }, 'while True:\n    pass');
      expect(exit).toMatchObject({ reason: 'timeout', exitCode: 134 });
      expect(exit.message).toMatch(/time limit/);
    } finally {
      await strict.close();
    }
  }, 90_000);

  it('kills a guest from outside at once', async () => {
    const { exit } = await runOnGuest(engine, spec, 'while True:\n    pass', { killAfterStart: true });
    expect(exit).toMatchObject({ reason: 'killed', message: 'killed by the host' });
  });

  it('gives the guest no files, no environment and no sockets', async () => {
    const code = [
      'import os, socket', 'from platform_sdk import send_output', 'found = []',
      'try:\n    open("/etc/passwd")\n    found.append("file")\nexcept OSError:\n    pass',
      'if os.environ:\n    found.append("env")',
      'try:\n    socket.socket()\n    found.append("socket")\nexcept OSError:\n    pass',
      'send_output(",".join(found) or "none")',
    ].join('\n');
    expect((await runtime.run({ code })).output).toBe('none');
  });
});

// The AOT compile takes minutes and ~2 GB of memory: opt in with WASMFORGE_TEST_WASMEDGE_AOT=1.
describe.skipIf(!discovery.found || process.env.WASMFORGE_TEST_WASMEDGE_AOT !== '1')('WasmEdge AOT (opt-in)', () => {
  it('compiles python.wasm in a detached background job, then runs guests natively, ended by the host at their limits', async () => {
    const aotHome = mkdtempSync(join(tmpdir(), 'wasmforge-wasmedge-aot-'));
    const engine = new WasmEdgeEngine({ resources, dataHome: aotHome, warmPoolSize: 0, aotPollMs: 1000 });
    const aotState = async (): Promise<string | undefined> => {
      const status = await engine.status();
      return status.available ? status.aot?.state : undefined;
    };
    try {
      const first = await runOnGuest(engine, spec, 'from platform_sdk import send_output\nsend_output("interpreted")');
      expect(first.frames.some((f) => f.kind === 'done')).toBe(true);
      expect(await aotState()).toBe('compiling');
      for (let i = 0; i < 240 && (await aotState()) === 'compiling'; i++) await new Promise((r) => setTimeout(r, 5000));
      expect(await engine.status()).toMatchObject({ available: true, aot: { state: 'ready', percent: 100 } });
      const native = await runOnGuest(engine, spec, 'from platform_sdk import send_output\nsend_output(str(sum(range(10**6))))');
      const out = native.frames.find((f) => f.kind === 'out');
      expect(new TextDecoder().decode(out?.payload)).toBe(String((10 ** 6 * (10 ** 6 - 1)) / 2));
      // A new engine finds the cached module at once. Plain AOT code ignores WasmEdge's --time-limit:
      // the host's own backstop ends the process at the wall time (plus its grace), whatever it runs.
      const strict = new WasmEdgeEngine({ resources, dataHome: aotHome, warmPoolSize: 0, startupTimeoutMs: 5000, backstopGraceMs: 500 });
      const started = Date.now();
      const loop = await runOnGuest(strict, { ...spec, wallTimeMs: 2000 }, 'while True:\n    pass').finally(() => strict.close());
      expect(loop.exit).toMatchObject({ reason: 'timeout' });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await strict.status()).toMatchObject({ aot: { state: 'ready' } });
    } finally {
      await engine.close();
      rmSync(aotHome, { recursive: true, force: true });
    }
  }, 30 * 60_000);
});
