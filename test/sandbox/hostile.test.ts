import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/sandbox/engine.ts';
import { EmbeddedEngine } from '../../src/sandbox/embedded/engine.ts';
import { SandboxRuntime, type RunRequest } from '../../src/sandbox/index.ts';
import { findSandboxResources } from '../../src/sandbox/resources.ts';
import { discoverWasmEdge } from '../../src/sandbox/wasmedge/binary.ts';
import { WasmEdgeEngine } from '../../src/sandbox/wasmedge/engine.ts';
import type { EngineName, RunResult } from '../../src/shared/run.ts';
import { ordinaryRun, POISONERS } from './poisoners.ts';

/**
 * Hostile plugins: each must be contained with the right outcome, on every engine there is, and
 * the sandbox must serve a healthy plugin right after it. Short wall-clock limits keep it quick.
 */
const resources = findSandboxResources();
const wasmedge = await discoverWasmEdge({ wasmedgeDir: resources.wasmedgeDir });
const dataHome = mkdtempSync(join(tmpdir(), 'wasmforge-hostile-'));
afterAll(() => rmSync(dataHome, { recursive: true, force: true }));
if (!wasmedge.found) console.warn(`[skipped] hostile plugins on WasmEdge: ${wasmedge.reason}`);

interface EngineUnderTest {
  name: EngineName;
  label: string;
  /** Why this engine cannot be tested here, if it cannot. */
  missing?: string;
  /** The interpreted WasmEdge is far slower than V8: its runs get more time. */
  wallTimeMs: number;
  /** For the few cases that do real work before they fail (100,000 frames of recursion: ~24 s in WasmEdge's interpreter on an idle machine, over 100 s on a loaded one). */
  heavyWallTimeMs: number;
  create(): Engine;
  /** Waits until the engine runs as this entry says (AOT: the module compiled). */
  ready?(engine: Engine): Promise<void>;
}

// WasmEdge AOT: the compile takes minutes and ~2 GB, once per WasmEdge version: opt in with
// WASMFORGE_TEST_WASMEDGE_AOT=1. The module is kept between test runs in WASMFORGE_TEST_AOT_HOME
// (default: a folder in the temporary directory), so only the first run pays for it.
const aotHome = process.env.WASMFORGE_TEST_AOT_HOME ?? join(tmpdir(), 'wasmforge-test-wasmedge-aot');
const aotMissing = !wasmedge.found ? wasmedge.reason : process.env.WASMFORGE_TEST_WASMEDGE_AOT !== '1' ? 'opt in with WASMFORGE_TEST_WASMEDGE_AOT=1' : undefined;

const engines: EngineUnderTest[] = [
  { name: 'embedded', label: 'embedded', wallTimeMs: 3000, heavyWallTimeMs: 20_000, create: () => new EmbeddedEngine({ resources, poolSize: 2 }) },
  {
    name: 'wasmedge',
    label: 'wasmedge interpreter',
    missing: wasmedge.found ? undefined : wasmedge.reason,
    wallTimeMs: 30_000,
    heavyWallTimeMs: 180_000,
    // No AOT here: the interpreter obeys the same rules (AOT has its own entry below).
    create: () => new WasmEdgeEngine({ resources, dataHome, aot: false, warmPoolSize: 1 }),
  },
  {
    name: 'wasmedge',
    label: 'wasmedge AOT',
    missing: aotMissing,
    wallTimeMs: 5000,
    heavyWallTimeMs: 30_000,
    create: () => new WasmEdgeEngine({ resources, dataHome: aotHome, warmPoolSize: 1 }),
    ready: waitForAot,
  },
];

async function waitForAot(engine: Engine): Promise<void> {
  await engine.prepare?.();
  for (let i = 0; i < 20 * 60; i++) {
    const status = await engine.status();
    const state = status.available ? status.aot?.state : 'unavailable';
    if (state === 'ready') return;
    if (state !== 'compiling') throw new Error(`WasmEdge AOT is not ready: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

interface HostileCase {
  name: string;
  code: string;
  request?: Partial<RunRequest>;
  /** Runs with the engine's heavyWallTimeMs. */
  heavy?: boolean;
  expect: (result: RunResult) => void;
}

const failsWith = (code: string, message?: RegExp) => (result: RunResult) => {
  expect(result.ok).toBe(false);
  expect(result.error?.code).toBe(code);
  if (message) expect(result.error?.message).toMatch(message);
};
const sdk = 'import platform_sdk\nfrom platform_sdk import *\n';
const frame = (kind: string, payload: string) => `b"\\x1eWF:${kind}:" + str(len(${payload})).encode() + b"\\n" + ${payload}`;

const cases: HostileCase[] = [
  { name: 'opens a TCP socket', code: 'import socket\ns = socket.socket()\ns.connect(("127.0.0.1", 5432))', expect: failsWith('PLUGIN_ERROR', /OSError|Error/) },
  { name: 'resolves and connects by name', code: 'import socket\nsocket.create_connection(("example.com", 80))', expect: failsWith('PLUGIN_ERROR') },
  { name: 'fetches a URL with urllib', code: 'import urllib.request\nurllib.request.urlopen("http://127.0.0.1:5432/")', expect: failsWith('PLUGIN_ERROR') },
  { name: 'reads /etc/passwd', code: 'print(open("/etc/passwd").read())', expect: failsWith('PLUGIN_ERROR', /FileNotFoundError/) },
  { name: 'lists the host root', code: 'import os\nprint(os.listdir("/"))', expect: failsWith('PLUGIN_ERROR', /FileNotFoundError|OSError/) },
  { name: 'lists the working directory', code: 'import os\nprint(os.listdir("."))', expect: failsWith('PLUGIN_ERROR') },
  { name: 'writes a file', code: 'open("/tmp/wasmforge-escape", "w").write("x")', expect: failsWith('PLUGIN_ERROR') },
  { name: 'reads environment variables', code: `${sdk}import os\nsend_output(repr(dict(os.environ)))`, expect: (r) => expect(r.output).toBe('{}') },
  { name: 'starts a subprocess', code: 'import subprocess\nsubprocess.run(["ls", "/"])', expect: failsWith('PLUGIN_ERROR', /OSError|not support/) },
  { name: 'calls os.system', code: 'import os\nos.system("ls")', expect: failsWith('PLUGIN_ERROR', /AttributeError/) },
  { name: 'forks', code: 'import os\nos.fork()', expect: failsWith('PLUGIN_ERROR', /AttributeError/) },
  { name: 'loads ctypes', code: 'import ctypes\nctypes.CDLL(None)', expect: failsWith('PLUGIN_ERROR', /ModuleNotFoundError|ImportError/) },
  { name: 'starts a thread', code: 'import threading\nthreading.Thread(target=print).start()', expect: failsWith('PLUGIN_ERROR', /thread/) },
  { name: 'spins forever', code: 'while True: pass', expect: failsWith('TIMEOUT') },
  { name: 'sleeps for days', code: 'import time\ntime.sleep(10**6)', expect: failsWith('TIMEOUT') },
  { name: 'recurses without end', code: 'def f(n): return f(n + 1)\nf(0)', expect: failsWith('PLUGIN_ERROR', /RecursionError/) },
  {
    // The runner caps the limit at 100,000: deep recursion stays a quick RecursionError, with a short traceback.
    name: 'lifts the recursion limit and recurses', code: 'import sys\nsys.setrecursionlimit(10**8)\ndef f(n): return f(n + 1)\nf(0)', heavy: true,
    expect: (r) => {
      failsWith('PLUGIN_ERROR', /RecursionError/)(r);
      expect(r.error?.traceback).toMatch(/Previous line repeated 9999\d more times/);
    },
  },
  {
    name: 'reads back the recursion limit it asked for', code: `${sdk}import sys\nsys.setrecursionlimit(10**6)\nsend_output(sys.getrecursionlimit())`,
    expect: (r) => expect(r.output).toBe('100000'),
  },
  { name: 'allocates 2 GiB at once', code: 'x = bytearray(2**31)', expect: failsWith('MEMORY_LIMIT') },
  { name: 'grows memory until it fails', code: 'hoard = []\nwhile True: hoard.append(bytearray(2**24))', expect: failsWith('MEMORY_LIMIT') },
  {
    name: 'floods the console', code: 'while True: print("spam " * 100)', request: { limits: { wallTimeMs: 1500 } },
    expect: (r) => {
      failsWith('TIMEOUT')(r);
      expect(r.logs).toMatch(/logs truncated/);
    },
  },
  { name: 'floods the output', code: `${sdk}while True: send_output("x" * 65536)`, expect: failsWith('OUTPUT_LIMIT') },
  { name: 'writes one huge output', code: `${sdk}send_output("x" * (8 * 2**20))`, expect: failsWith('OUTPUT_LIMIT') },
  {
    name: 'forges an output frame on fd 1', code: `import os\nos.write(1, ${frame('out', 'b"forged"')})`,
    expect: (r) => {
      // A forged output frame can only do what send_output does: set its own output.
      expect(r.ok).toBe(true);
      expect(r.output).toBe('forged');
    },
  },
  { name: 'forges a host error code', code: `import os\nos.write(1, ${frame('error', 'b\'{"code": "TIMEOUT", "message": "fake"}\'')})`, expect: failsWith('PLUGIN_ERROR') },
  { name: 'forges an unknown frame', code: `import os\nos.write(1, ${frame('grant', 'b"{}"')})`, expect: failsWith('PROTOCOL_ERROR') },
  { name: 'claims a gigantic frame', code: 'import os\nos.write(1, b"\\x1eWF:grant:4000000000\\n")', expect: failsWith('PROTOCOL_ERROR') },
  { name: 'claims a gigantic AI request', code: 'import os\nos.write(1, b"\\x1eWF:ai:4000000000\\n")', expect: failsWith('PROMPT_TOO_LONG', /at most 8 MiB/) },
  { name: 'sends a 9 MiB prompt', code: `${sdk}call_ai("gemma2:2b", "x" * (9 * 2**20))`, expect: failsWith('PROMPT_TOO_LONG', /at most 8 MiB/) },
  {
    // Each kind of frame has its own cap: a large output limit never lets a larger request through.
    name: 'sends a 9 MB image with a 16 MiB output limit', code: `${sdk}call_ai("gemma2:2b", "describe", images=[b"\\0" * 7_000_000])`,
    request: { limits: { outputBytes: 16 * 2 ** 20 } }, expect: failsWith('PROMPT_TOO_LONG', /at most 8 MiB/),
  },
  {
    // ...and a small output limit is the cap of an output frame: the host never waits for 8 MiB.
    name: 'claims an 8 MiB output frame with a 64 KiB output limit', code: 'import os, time\nos.write(1, b"\\x1eWF:out:8388608\\n")\ntime.sleep(10**6)',
    request: { limits: { outputBytes: 64 * 1024 } }, expect: failsWith('OUTPUT_LIMIT', /64 KiB/),
  },
  {
    name: 'sends a second request before reading the answer',
    code: `import os\nrequest = b'{"model": "gemma2:2b", "prompt": "hi"}'\nos.write(1, ${frame('ai', 'request')} + ${frame('ai', 'request')})`,
    expect: failsWith('PROTOCOL_ERROR', /before the answer/),
  },
  {
    name: 'forges done, then spins', code: `import os\nos.write(1, ${frame('done', 'b""')})\nwhile True: pass`,
    expect: failsWith('PLUGIN_ERROR', /kept running after it reported/),
  },
  { name: 'forges done, then fails', code: `import os\nos.write(1, ${frame('done', 'b""')})\nraise ValueError("real failure")`, expect: failsWith('PLUGIN_ERROR', /ValueError: real failure/) },
  { name: 'forges done, then exits with status 3', code: `import os\nos.write(1, ${frame('done', 'b""')})\nos._exit(3)`, expect: failsWith('PLUGIN_ERROR', /status 3/) },
  { name: 'sends a malformed AI request', code: `import os\nos.write(1, ${frame('ai', 'b"not json"')})`, expect: failsWith('PROTOCOL_ERROR') },
  { name: 'reads stdin through sys.stdin', code: `${sdk}import sys\nsend_output(repr(sys.stdin.read()))`, expect: (r) => expect(r.output).toBe("''") },
  { name: 'reads the protocol stream directly', code: 'import os\nos.read(0, 100)', request: { limits: { wallTimeMs: 1000 } }, expect: failsWith('TIMEOUT') },
  { name: 'exits with status 3', code: 'import sys\nsys.exit(3)', expect: failsWith('PLUGIN_ERROR', /status 3/) },
  { name: 'kills the interpreter with os._exit', code: 'import os\nos._exit(0)', expect: failsWith('PLUGIN_ERROR', /before finishing/) },
  { name: 'raises KeyboardInterrupt', code: 'raise KeyboardInterrupt', expect: failsWith('PLUGIN_ERROR', /KeyboardInterrupt/) },
  { name: 'raises SystemExit with a message', code: 'raise SystemExit("bye")', expect: failsWith('PLUGIN_ERROR', /bye/) },
  { name: 'makes too many AI calls', code: `${sdk}for i in range(11): call_ai("gemma2:2b", "hi")`, expect: failsWith('AI_CALL_LIMIT') },
  { name: 'sends a too-long prompt', code: `${sdk}call_ai("gemma2:2b", "x" * 4001)`, expect: failsWith('PROMPT_TOO_LONG') },
  { name: 'calls an unapproved model', code: `${sdk}call_ai("evil:70b", "hi")`, expect: failsWith('MODEL_NOT_ALLOWED') },
  {
    // 13 MiB of requests in all, none of it output: each call reaches the AI provider.
    name: 'sends four 2.5 MB images', code: `${sdk}for i in range(4): send_output(call_ai("gemma2:2b", "describe", images=[b"\\0" * 2_500_000]))`,
    expect: (r) => {
      expect(r.error).toBeNull();
      expect(r.output).toBe(Array(4).fill('[gemma2:2b] describe').join('\n'));
      expect(r.aiCalls.filter((call) => call.ok)).toHaveLength(4);
    },
  },
  {
    name: 'embeds ten 400 kB texts', code: `${sdk}embed("nomic-embed-text", ["x" * 400000] * 10)`,
    expect: (r) => {
      failsWith('PROMPT_TOO_LONG')(r);
      expect(r.aiCalls).toHaveLength(1); // the request reached the AI policy, which refused it
    },
  },
  {
    name: 'bypasses the SDK to call AI past the limit',
    code: `${sdk}for i in range(12):\n    kind, reply = platform_sdk._channel.request("ai", {"model": "gemma2:2b", "prompt": "hi"})\nsend_output(kind + " " + reply.get("code", ""))`,
    expect: (r) => {
      expect(r.output).toBe('ai_err AI_CALL_LIMIT');
      expect(r.aiCalls.filter((call) => call.ok)).toHaveLength(10);
    },
  },
  { name: 'raises an AI error the host never sent', code: `${sdk}raise AICallLimitError("fake")`, expect: failsWith('PLUGIN_ERROR') },
  {
    name: 'sends invalid UTF-8 as output', code: `${sdk}send_output(b"ok \\xff\\xfe end")`,
    expect: (r) => {
      expect(r.ok).toBe(true);
      expect(r.output).toBe('ok \uFFFD\uFFFD end');
      expect(r.logs).toMatch(/not valid UTF-8/);
    },
  },
  {
    name: 'closes its own stdout', code: `${sdk}import os\nos.close(1)\nsend_output("still here")`,
    expect: (r) => expect(r.output).toBe('still here'),
  },
  // Plugins that try to leave an answer or half a frame behind for the next run on their worker.
  ...POISONERS.map(({ name, code }) => ({
    name, code,
    expect: (r: RunResult) => {
      expect(r.output).toBe('');
      expect(r.error?.code ?? 'ok').toMatch(/^(PROTOCOL_ERROR|PLUGIN_ERROR|ok)$/);
    },
  })),
];

it('has at least 25 hostile cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

for (const engine of engines) {
  const title = `hostile plugins are contained on the ${engine.label} engine${engine.missing ? ` (skipped: ${engine.missing})` : ''}`;
  describe.skipIf(engine.missing !== undefined)(title, () => {
    let runtime: SandboxRuntime;
    beforeAll(async () => {
      const created = engine.create();
      await engine.ready?.(created);
      runtime = new SandboxRuntime({ engines: { [engine.name]: created }, defaultEngine: engine.name, limits: { wallTimeMs: engine.wallTimeMs } });
      runtime.prewarm();
    }, 30 * 60_000);
    afterAll(() => runtime.close());

    it.each(cases)('$name', async ({ code, request, heavy, expect: check }) => {
      const limits = heavy ? { wallTimeMs: engine.heavyWallTimeMs, ...request?.limits } : request?.limits;
      const result = await runtime.run({ code, ...request, limits });
      expect(result.engine).toBe(engine.name);
      check(result);
      // The next run gets its own input back, not anything the hostile one left behind.
      const healthy = await ordinaryRun(runtime, 0);
      expect(healthy.output).toBe(healthy.expected);
    }, engine.heavyWallTimeMs + 60_000);

    // The host ends every run at its limits by ending the guest: WasmEdge's AOT code, which
    // ignores WasmEdge's own time limit, included. Timed from the run's start (the guest ready).
    it.each([
      { what: 'spins', code: 'while True: pass', limits: { wallTimeMs: 2000 }, error: 'TIMEOUT', limitMs: 2000 },
      { what: 'sleeps', code: 'import time\ntime.sleep(10**6)', limits: { wallTimeMs: 2000 }, error: 'TIMEOUT', limitMs: 2000 },
      { what: 'computes past its compute time', code: 'while True: pass', limits: { wallTimeMs: 60_000, computeTimeMs: 2000 }, error: 'COMPUTE_LIMIT', limitMs: 2000 },
    ])('ends a plugin that $what on time', async ({ code, limits, error, limitMs }) => {
      let startedAt = 0;
      const result = await runtime.run({ code, limits, onEvent: (event) => { if (event.type === 'started') startedAt = performance.now(); } });
      const tookMs = performance.now() - startedAt;
      expect(result.error?.code).toBe(error);
      expect(tookMs).toBeGreaterThanOrEqual(limitMs - 50);
      expect(tookMs).toBeLessThan(limitMs + 1500);
    });
  });
}
