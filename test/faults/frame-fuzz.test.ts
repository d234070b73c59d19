import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmbeddedEngine } from '../../src/sandbox/embedded/engine.ts';
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { findSandboxResources } from '../../src/sandbox/resources.ts';
import { ordinaryRun } from '../sandbox/poisoners.ts';

/**
 * A million random and forged protocol frames across runs, from a fixed seed: the host must not
 * crash or hang, every run must end with a result, and the run after each one must be healthy.
 * The plugin writes what a hostile one would: random bytes (with the frame magic sown in), cut
 * and garbled headers, forged output and `ready` frames, and, to end some runs, the frames that
 * decide a run (done, error, unknown kinds, requests it never reads, claims past every cap).
 */
const SEED = 20261202;
const RUNS = 20;
const FRAMES_PER_RUN = 50_000;

const fuzzer = `
import os, random
random.seed(${SEED} + int(get_input()))
MAGIC = b"\\x1eWF:"
SEVEN_BITS = bytes(i & 0x7F for i in range(256))
def header(kind, length):
    return MAGIC + kind + b":" + str(length).encode() + b"\\n"
def frame():
    r = random.random()
    if r < 0.45:
        noise = bytearray(random.randbytes(random.randint(1, 12)))
        if random.random() < 0.3:
            noise[random.randrange(len(noise)):0] = MAGIC
        return bytes(noise)
    if r < 0.65:
        body = random.randbytes(random.randint(0, 6))
        return header(b"out", len(body)) + body
    if r < 0.75:
        return header(b"ready", 0)
    if r < 0.85:
        return MAGIC + random.choice([b"out", b"ai", b"", b"OUT", b"out:", b"out:-1", b"out:1x", b"a" * 30]) + b"\\n"
    return MAGIC + random.randbytes(random.randint(0, 70)).translate(SEVEN_BITS)
ENDINGS = [
    header(b"done", 0),
    header(b"error", 13) + b'{"code": "X"}',
    header(b"grant", 2) + b"{}",
    header(b"models", 2) + b"{}",
    header(b"ai", 8) + b"not json",
    header(b"out", 4000000000),
    b"",
]
# Drawn from a pool made by the same seed: Python in the sandbox is slow, and the host's reading is what is under test.
frames = random.choices([frame() for _ in range(5000)], k=${FRAMES_PER_RUN})
frames.append(MAGIC + b"\\n")  # a cut header must not swallow the runner's last frame
frames.append(random.choice(ENDINGS))
data = memoryview(b"".join(frames))
while data:
    data = data[os.write(1, data[:65536]):]
`;

const resources = findSandboxResources();
let runtime: SandboxRuntime;
beforeAll(() => {
  runtime = new SandboxRuntime({
    engines: { embedded: new EmbeddedEngine({ resources, poolSize: 2 }) },
    limits: { wallTimeMs: 20_000, computeTimeMs: 20_000, outputBytes: 4 * 2 ** 20 },
  });
});
afterAll(() => runtime.close());

it(`survives ${RUNS * FRAMES_PER_RUN} fuzzed frames across ${RUNS} runs, every next run healthy`, async () => {
  const outcomes = new Map<string, number>();
  let healthy = 0;
  let outputFrames = 0;
  for (let i = 0; i < RUNS; i++) {
    const onEvent = (event: { type: string }) => {
      if (event.type === 'output') outputFrames += 1;
    };
    const result = await runtime.run({ code: `from platform_sdk import get_input\n${fuzzer}`, input: String(i), onEvent });
    const outcome = result.error?.code ?? 'ok';
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    expect(['ok', 'PROTOCOL_ERROR', 'PLUGIN_ERROR', 'OUTPUT_LIMIT']).toContain(outcome);
    const next = await ordinaryRun(runtime, i);
    if (next.error === null && next.output === next.expected) healthy += 1;
  }
  // About a fifth of the frames are well-formed output frames: the host read the runs through.
  expect(outputFrames).toBeGreaterThan(RUNS * FRAMES_PER_RUN * 0.15);
  console.log(`frame fuzz: ${RUNS * FRAMES_PER_RUN} frames (${outputFrames} forged output frames taken in), ${RUNS} runs (${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}), 0 host crashes, 0 hangs, ${healthy}/${RUNS} next runs healthy`);
  expect(healthy).toBe(RUNS);
}, 600_000);
