import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxRuntime, type RunRequest } from '../../src/sandbox/index.ts';
import type { RunResult } from '../../src/shared/run.ts';

/**
 * Hostile plugins: each must be contained with the right outcome, and the sandbox must serve a
 * healthy plugin right after it. Short wall-clock limits keep the suite quick.
 */
const runtime = new SandboxRuntime({ warmPoolSize: 2, limits: { wallTimeMs: 3000 } });
beforeAll(() => runtime.prewarm());
afterAll(() => runtime.close());

interface HostileCase {
  name: string;
  code: string;
  request?: Partial<RunRequest>;
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
    name: 'lifts the recursion limit and recurses', code: 'import sys\nsys.setrecursionlimit(10**8)\ndef f(n): return f(n + 1)\nf(0)',
    expect: (r) => expect(['TIMEOUT', 'MEMORY_LIMIT', 'PLUGIN_ERROR']).toContain(r.error?.code),
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
  { name: 'claims a gigantic frame', code: 'import os\nos.write(1, b"\\x1eWF:ai:4000000000\\n")', expect: failsWith('PROTOCOL_ERROR') },
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
];

describe('hostile plugins are contained', () => {
  it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)('$name', async ({ code, request, expect: check }) => {
    check(await runtime.run({ code, ...request }));
    const healthy = await runtime.run({ code: 'from platform_sdk import send_output\nsend_output("healthy")' });
    expect(healthy.output).toBe('healthy');
  });
});
