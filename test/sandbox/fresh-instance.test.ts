import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/sandbox/embedded/engine.ts';
import { SOURCE_SECTION } from '../../src/sandbox/embedded/snapshot-module.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { findSandboxResources, type SandboxResources } from '../../src/sandbox/resources.ts';
import { ordinaryRun } from './poisoners.ts';

/**
 * Each run is restored from one memory image into a fresh instance. One warm worker makes every
 * run follow the previous one on the same thread, where anything left behind would be found.
 */
const resources = findSandboxResources();

const LEAVE_TRACES = `
import builtins, json, random, sys, os, __main__
json.LEAK = "json"
builtins.LEAK = "builtins"
__main__.LEAK = "main"
sys.modules["leak"] = json
sys.path.append("/leak")
sys.setrecursionlimit(4321)
os.environ["LEAK"] = "env"
random.seed(42)
import fractions
try:
    open("/leak.txt", "w").write("leak")
except OSError:
    pass
`;

const LOOK_FOR_TRACES = `
import builtins, json, random, sys, os, __main__
from platform_sdk import send_output
send_output({
    "json": getattr(json, "LEAK", None), "builtins": getattr(builtins, "LEAK", None),
    "main": getattr(__main__, "LEAK", None), "module": "leak" in sys.modules, "path": "/leak" in sys.path,
    "recursion": sys.getrecursionlimit() == 4321, "env": os.environ.get("LEAK"),
    "fractions": "fractions" in sys.modules, "file": os.path.exists("/leak.txt"),
    "random": random.random(),
})
`;

function engineWith(overrides: Partial<SandboxResources>) {
  const engine = new EmbeddedEngine({ resources: { ...resources, ...overrides }, poolSize: 1 });
  return { engine, runtime: new SandboxRuntime({ engines: { embedded: engine }, limits: { wallTimeMs: 10_000 } }) };
}

const traces = async (runtime: SandboxRuntime) => JSON.parse((await runtime.run({ code: LOOK_FOR_TRACES })).output) as Record<string, unknown>;

describe('runs restored from a memory image', () => {
  let engine: EmbeddedEngine;
  let runtime: SandboxRuntime;
  beforeAll(async () => {
    expect(resources.asyncifiedWasm, 'npm ci derives resources/python/python-asyncify.wasm').toBeDefined();
    ({ engine, runtime } = engineWith({}));
    await runtime.whenWarm();
  });
  afterAll(() => runtime.close());

  it('are restored, not started afresh', () => {
    expect(engine.imageUnavailable).toBeUndefined();
    expect(engine.imageReports()).toEqual([expect.objectContaining({ taken: true })]);
  });

  it('see nothing an earlier run changed: module globals, sys.modules, sys.path, limits, environment, files', async () => {
    const clean = await traces(runtime);
    expect((await runtime.run({ code: LEAVE_TRACES })).error).toBeNull();
    const after = await traces(runtime);
    expect({ ...after, random: 0 }).toEqual({
      json: null, builtins: null, main: null, module: false, path: false, recursion: false, env: null, fractions: false, file: false, random: 0,
    });
    expect({ ...after, random: 0 }).toEqual({ ...clean, random: 0 });
  });

  it('each draw their own random numbers, though the image froze one generator state', async () => {
    const draws = new Set<unknown>();
    for (let i = 0; i < 4; i++) draws.add((await traces(runtime)).random);
    expect(draws.size).toBe(4);
  });

  it('never get the memory of an instance that grew: the next run starts at the image size', async () => {
    const first = await runtime.run({ code: 'pass' });
    const grown = await runtime.run({ code: 'x = bytearray(12 * 2**20)' });
    expect(grown.memoryBytes).toBeGreaterThan(first.memoryBytes! + 8 * 2 ** 20);
    const next = await runtime.run({ code: 'pass' });
    expect(next.memoryBytes).toBe(first.memoryBytes);
  });
});

describe('when no memory image can be made, runs start afresh as before', () => {
  const directory = mkdtempSync(join(tmpdir(), 'wasmforge-image-'));

  it('without python-asyncify.wasm', async () => {
    const { engine, runtime } = engineWith({ asyncifiedWasm: undefined });
    try {
      for (let i = 0; i < 3; i++) expect((await ordinaryRun(runtime, i)).error).toBeNull();
      expect(engine.imageUnavailable).toMatch(/missing/);
      expect(engine.imageReports()).toEqual([]);
      expect(await engine.status()).toMatchObject({ available: true, detail: expect.stringMatching(/started afresh/) });
    } finally {
      await runtime.close();
    }
  });

  it('with a derived module from another build of python.wasm', async () => {
    // The same interpreter with one more section is another build: its checksum differs.
    const other = join(directory, 'python.wasm');
    writeFileSync(other, withSourceSection(readFileSync(resources.pythonWasm), 'another build'));
    const { engine, runtime } = engineWith({ pythonWasm: other });
    try {
      const result = await ordinaryRun(runtime, 0);
      expect(result.output).toBe(result.expected);
      expect(engine.imageUnavailable).toMatch(/another build of python.wasm/);
    } finally {
      await runtime.close();
    }
  });

  it('with a module that cannot be resumed (python.wasm itself, claiming to be derived)', async () => {
    const path = join(directory, 'not-resumable.wasm');
    const source = readFileSync(resources.pythonWasm);
    writeFileSync(path, withSourceSection(source, createHash('sha256').update(source).digest('hex')));
    const { engine, runtime } = engineWith({ asyncifiedWasm: path });
    try {
      const result = await ordinaryRun(runtime, 0);
      expect(result.output).toBe(result.expected);
      expect(engine.imageUnavailable).toMatch(/lacks asyncify_start_unwind/);
    } finally {
      await runtime.close();
    }
  });
});

/** A module with one more custom section naming the build it claims to come from. */
function withSourceSection(module: Buffer, sha256: string): Buffer {
  // One byte of length each: the section is short.
  const name = Buffer.from(SOURCE_SECTION);
  const content = Buffer.concat([Buffer.from([name.length]), name, Buffer.from(sha256)]);
  return Buffer.concat([module, Buffer.from([0, content.length]), content]);
}
