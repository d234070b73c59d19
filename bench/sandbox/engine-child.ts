// A fresh process for the figures that a long-lived benchmark process would distort:
// the cold first run, and the engine's resident memory idle and at its peak.
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { HELLO } from './plugins.ts';
import { PURE_PYTHON_PLUGIN } from './pure-python.ts';

const poolSize = Number(process.argv[2] ?? 2);

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const baselineRss = rssMb();
const created = performance.now();
const runtime = new SandboxRuntime({ warmPoolSize: poolSize });
const first = await runtime.run({ code: HELLO, input: 'cold' });
const firstRunMs = performance.now() - created;
const processMs = process.uptime() * 1000;
if (!first.ok) throw new Error(`cold run failed: ${JSON.stringify(first.error)}`);

// Cold: the interpreter as V8 first compiled it, before any tier-up.
const pure = await runtime.run({ code: PURE_PYTHON_PLUGIN, limits: { wallTimeMs: 120_000 } });
if (!pure.ok) throw new Error(`pure-Python workloads failed: ${JSON.stringify(pure.error)}`);
const cold = JSON.parse(pure.output) as unknown;

await runtime.whenWarm();
await new Promise((resolve) => setTimeout(resolve, 1000 + 500 * poolSize)); // every sandbox warm
global.gc?.();
const idleRss = rssMb();
for (let i = 0; i < 100; i++) await runtime.run({ code: HELLO, input: String(i) });
await runtime.run({ code: 'x = bytearray(200 * 2**20)', limits: { memoryBytes: 256 * 2 ** 20 } });
const peakRss = process.resourceUsage().maxRSS / 1024;
await runtime.close();
console.log(JSON.stringify({ firstRunMs, processMs, baselineRss, idleRss, peakRss, cold }));
