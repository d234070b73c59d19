import { execFileSync } from 'node:child_process';

/**
 * Pure-Python speed, timed inside the interpreter (time.perf_counter around each workload), so
 * that python.wasm and the machine's native python3 run the very same code and start-up is left out.
 */
export const WORKLOADS = ['recursion', 'integer loop', 'json', 'regex', 'string/dict'] as const;
export type Timings = Record<(typeof WORKLOADS)[number], number>;

const BODY = `
import json, re, time
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def integer_loop():
    s = 0
    for i in range(400_000):
        s += i * i % 7
    return s
DOC = {"items": [{"id": i, "name": "item %d" % i, "tags": ["a", "b", "c"], "price": i * 1.5} for i in range(200)]}
def json_round_trips():
    for _ in range(30):
        json.loads(json.dumps(DOC))
TEXT = " ".join("user%d@example.com visited /page/%d at 12:%02d" % (i, i, i % 60) for i in range(2000))
def regex():
    pattern = re.compile(r"(\\w+)@(\\w+)\\.com visited (/page/\\d+)")
    for _ in range(10):
        pattern.findall(TEXT)
def string_dict():
    counts = {}
    for i in range(100_000):
        key = "k" + str(i % 1000)
        counts[key] = counts.get(key, 0) + 1
    return "".join(sorted(counts))[:10]
def timed(work):
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000
RESULT = json.dumps({
    "recursion": timed(lambda: fib(24)), "integer loop": timed(integer_loop), "json": timed(json_round_trips),
    "regex": timed(regex), "string/dict": timed(string_dict),
})
`;

/** The plugin: the workloads, their timings as its output. */
export const PURE_PYTHON_PLUGIN = `from platform_sdk import send_output\n${BODY}\nsend_output(RESULT)`;

/** The same workloads on the machine's python3, best of `times` runs each. */
export function nativeTimings(times = 3): { timings: Timings; version: string } {
  const runs = Array.from({ length: times }, () => JSON.parse(execFileSync('python3', ['-c', `${BODY}\nprint(RESULT)`], { encoding: 'utf8' })) as Timings);
  const version = execFileSync('python3', ['--version'], { encoding: 'utf8' }).trim();
  return { timings: best(runs), version };
}

export function best(runs: Timings[]): Timings {
  return Object.fromEntries(WORKLOADS.map((w) => [w, Math.min(...runs.map((r) => r[w]))])) as Timings;
}

/** Geometric mean of sandbox / native over the workloads. */
export function slowdown(sandbox: Timings, native: Timings): number {
  const logs = WORKLOADS.map((w) => Math.log(sandbox[w] / native[w]));
  return Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length);
}
