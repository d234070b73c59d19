import { closeSync, existsSync, mkdtempSync, openSync, readSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/sandbox/embedded/engine.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { findSandboxResources } from '../../src/sandbox/resources.ts';
import { ordinaryRun } from './poisoners.ts';

/**
 * One memory image per engine, shared by its workers, and kept on disk for the next process:
 * a one-shot run (`wasmforge run`) then resumes it instead of starting CPython.
 */
const resources = findSandboxResources();
const IMAGE_FILE = join('cache', 'embedded', 'python-image.bin');

function engineWith(poolSize: number, dataHome?: string) {
  const engine = new EmbeddedEngine({ resources, poolSize, dataHome });
  return { engine, runtime: new SandboxRuntime({ engines: { embedded: engine }, limits: { wallTimeMs: 20_000 } }) };
}

async function warmAll(engine: EmbeddedEngine, runtime: SandboxRuntime, workers: number): Promise<void> {
  await runtime.whenWarm();
  for (let i = 0; i < 200 && engine.imageReports().length < workers; i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** How each worker got its image: taken there, or resumed from the engine's (shared). */
const kinds = (engine: EmbeddedEngine) => engine.imageReports().map((report) => (!report.taken ? 'none' : report.shared ? 'shared' : 'taken'));

const randomDraw = async (runtime: SandboxRuntime) =>
  (await runtime.run({ code: 'import random\nfrom platform_sdk import send_output\nsend_output(str(random.random()))' })).output;

describe('the memory image of an engine', () => {
  it('is taken by one worker and resumed by the others, not taken again by each', async () => {
    const { engine, runtime } = engineWith(3);
    try {
      await warmAll(engine, runtime, 3);
      expect(kinds(engine).sort()).toEqual(['shared', 'shared', 'taken']);
      // The taker tried its image before sharing it: the others resume it without a trial of their own.
      expect(engine.imageReports().filter((report) => report.shared).map((report) => report.tried)).toEqual([false, false]);
      const runs = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => ordinaryRun(runtime, i)));
      for (const run of runs) expect(run.output).toBe(run.expected);
    } finally {
      await runtime.close();
    }
  });

  it('is saved in the data folder, and the next engine there resumes it instead of starting CPython', async () => {
    const home = mkdtempSync(join(tmpdir(), 'wasmforge-image-home-'));
    const first = engineWith(1, home);
    await first.runtime.run({ code: 'pass' });
    expect(kinds(first.engine)).toEqual(['taken']);
    await first.runtime.close();
    expect(statSync(join(home, IMAGE_FILE)).mode & 0o777).toBe(0o600);

    const second = engineWith(1, home);
    try {
      const draws = new Set([await randomDraw(second.runtime), await randomDraw(second.runtime)]);
      expect(kinds(second.engine)).toEqual(['shared']);
      expect(second.engine.imageReports()[0]?.tried).toBe(true); // from disk: tried once before any run
      expect(draws.size).toBe(2); // each restored run still reseeds its generator
      const run = await ordinaryRun(second.runtime, 7);
      expect(run.output).toBe(run.expected);
    } finally {
      await second.runtime.close();
    }
  });

  it('on disk is not used when it is too old, or damaged: the worker takes its own and replaces it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'wasmforge-image-home-'));
    const first = engineWith(1, home);
    await first.runtime.run({ code: 'pass' });
    await first.runtime.close();
    const path = join(home, IMAGE_FILE);

    editHeader(path, (header) => ({ ...header, takenAt: Date.now() - 11 * 60_000 }));
    // A writer that died before its rename left its temporary file; one writing now has a young one.
    const [abandoned, live] = [`${path}.999.1.tmp`, `${path}.998.2.tmp`];
    writeFileSync(abandoned, 'x');
    writeFileSync(live, 'x');
    utimesSync(abandoned, new Date(Date.now() - 11 * 60_000), new Date(Date.now() - 11 * 60_000));
    await expectTakesItsOwn(home);
    expect([existsSync(abandoned), existsSync(live)]).toEqual([false, true]);

    const header = readHeader(path);
    overwrite(path, 4096 + header.asyncifyData, new Uint8Array(64).fill(0xff)); // the saved stack, trampled
    await expectTakesItsOwn(home);
    expect(readHeader(path).takenAt).toBeGreaterThan(header.takenAt);
  });
});

async function expectTakesItsOwn(home: string): Promise<void> {
  const { engine, runtime } = engineWith(1, home);
  try {
    const run = await ordinaryRun(runtime, 1);
    expect(run.output).toBe(run.expected);
    expect(kinds(engine)).toEqual(['taken']);
  } finally {
    await runtime.close();
  }
}

interface Header { takenAt: number; asyncifyData: number; [key: string]: unknown }

function readHeader(path: string): Header {
  const head = Buffer.alloc(4096);
  const file = openSync(path, 'r');
  readSync(file, head, 0, 4096, 0);
  closeSync(file);
  return JSON.parse(head.toString('utf8').trimEnd()) as Header;
}

function editHeader(path: string, edit: (header: Header) => Header): void {
  const text = Buffer.from(JSON.stringify(edit(readHeader(path))).padEnd(4096, ' '));
  overwrite(path, 0, text);
}

function overwrite(path: string, at: number, bytes: Uint8Array): void {
  const file = openSync(path, 'r+');
  writeSync(file, bytes, 0, bytes.length, at);
  closeSync(file);
}
