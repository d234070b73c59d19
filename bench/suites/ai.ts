import { Ollama } from 'ollama';
import { AiBroker, type AiSession } from '../../src/ai/broker.ts';
import { OllamaProvider } from '../../src/ai/ollama-provider.ts';
import { DEFAULT_LIMITS } from '../../src/sandbox/limits.ts';
import { FakeOllama } from '../../test/fake-ollama/server.ts';
import { median, percentile } from '../stats.ts';
import type { BenchRow } from '../types.ts';

// The AI bridge's own cost: a call through AiSession (policy, budgets, per-call timeout, the
// guarded client) against the `ollama` client called directly, both streaming from the fake
// Ollama with zero latency in this process. Interleaved, so both see the same machine state.
const SUITE = 'ai';
const CALLS = 300;
const WARMUP = 30;
const MODEL = 'qwen2.5:1.5b';
const PROMPT = 'Summarize: the quick brown fox jumps over the lazy dog';

const row = (metric: string, value: number, unit: string, target?: [string, boolean], note?: string): BenchRow =>
  ({ suite: SUITE, metric, value: Math.round(value * 1000) / 1000, unit, ...(target ? { target: target[0], pass: target[1] } : {}), ...(note ? { note } : {}) });

interface Sample {
  total: number;
  firstToken: number;
}

export async function run(): Promise<BenchRow[]> {
  const fake = await FakeOllama.start();
  try {
    const connection = { host: fake.url, headers: {}, source: 'settings' as const };
    const client = new Ollama({ host: fake.url });
    const session = openSession(new AiBroker({ provider: new OllamaProvider(connection), allowList: [MODEL] }));
    const direct: Sample[] = [];
    const bridged: Sample[] = [];
    for (let i = 0; i < WARMUP + CALLS; i++) {
      // Alternate which goes first, so neither always runs on a warmer connection pool.
      const pair = i % 2 === 0
        ? [await directCall(client), await bridgedCall(session)]
        : [await bridgedCall(session), await directCall(client)].reverse();
      if (i < WARMUP) continue;
      direct.push(pair[0]!);
      bridged.push(pair[1]!);
    }
    const p50 = (samples: Sample[], key: keyof Sample) => median(samples.map((s) => s[key]));
    const overhead = p50(bridged, 'total') - p50(direct, 'total');
    const ttftOverhead = p50(bridged, 'firstToken') - p50(direct, 'firstToken');
    return [
      row('call via ollama client directly, p50', p50(direct, 'total'), 'ms', undefined, `${CALLS} streamed calls, fake Ollama, zero latency; p99 ${percentile(direct.map((s) => s.total), 99).toFixed(2)} ms`),
      row('call via AI bridge (AiSession), p50', p50(bridged, 'total'), 'ms', undefined, `p99 ${percentile(bridged.map((s) => s.total), 99).toFixed(2)} ms`),
      row('AI bridge overhead per call', overhead, 'ms', ['≤ 2 ms', overhead <= 2]),
      row('time to first token, direct, p50', p50(direct, 'firstToken'), 'ms'),
      row('time to first token, bridge, p50', p50(bridged, 'firstToken'), 'ms'),
      row('time-to-first-token overhead (streaming)', ttftOverhead, 'ms', ['≤ 2 ms', ttftOverhead <= 2]),
    ];
  } finally {
    await fake.close();
  }
}

function openSession(broker: AiBroker): AiSession {
  const limits = { ...DEFAULT_LIMITS, aiCalls: Number.MAX_SAFE_INTEGER, aiTokens: Number.MAX_SAFE_INTEGER, wallTimeMs: 3_600_000 };
  return broker.openSession({ limits, signal: new AbortController().signal });
}

async function directCall(client: Ollama): Promise<Sample> {
  const started = performance.now();
  let firstToken = 0;
  for await (const part of await client.generate({ model: MODEL, prompt: PROMPT, stream: true })) {
    if (!firstToken && part.response) firstToken = performance.now() - started;
  }
  return { total: performance.now() - started, firstToken };
}

async function bridgedCall(session: AiSession): Promise<Sample> {
  const started = performance.now();
  let firstToken = 0;
  await session.call({ model: MODEL, prompt: PROMPT }, {
    onToken: () => {
      if (!firstToken) firstToken = performance.now() - started;
    },
  });
  return { total: performance.now() - started, firstToken };
}
