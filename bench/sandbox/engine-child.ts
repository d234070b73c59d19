// A fresh process for the figures that a long-lived benchmark process would distort:
// the cold first run, and the engine's resident memory idle and at its peak.
import { SandboxRuntime } from '../../src/sandbox/index.ts';
import { HELLO } from './plugins.ts';

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const baselineRss = rssMb();
const created = performance.now();
const runtime = new SandboxRuntime({ warmPoolSize: 2 });
const first = await runtime.run({ code: HELLO, input: 'cold' });
const firstRunMs = performance.now() - created;
const processMs = process.uptime() * 1000;
if (!first.ok) throw new Error(`cold run failed: ${JSON.stringify(first.error)}`);

await runtime.whenWarm();
await new Promise((resolve) => setTimeout(resolve, 1000));
global.gc?.();
const idleRss = rssMb();
for (let i = 0; i < 100; i++) await runtime.run({ code: HELLO, input: String(i) });
await runtime.run({ code: 'x = bytearray(200 * 2**20)', limits: { memoryBytes: 256 * 2 ** 20 } });
const peakRss = process.resourceUsage().maxRSS / 1024;
await runtime.close();
console.log(JSON.stringify({ firstRunMs, processMs, baselineRss, idleRss, peakRss }));
