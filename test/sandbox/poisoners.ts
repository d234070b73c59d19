import { randomUUID } from 'node:crypto';
import type { SandboxRuntime } from '../../src/sandbox/index.ts';
import type { RunResult } from '../../src/shared/run.ts';

/**
 * Plugins that try to leave something behind for the next run on their worker: a request whose
 * answer they never read, a frame cut in half, a request after their own `done`. Shared by the
 * isolation tests, the hostile suite (every engine) and the serve test.
 */
export interface Poisoner {
  name: string;
  code: string;
  /** Its own outcome on the embedded engine, which can tell that an answer was left unread. */
  outcome: 'PROTOCOL_ERROR' | 'PLUGIN_ERROR' | 'ok';
}

const frame = (kind: string, payload: string) => `b"\\x1eWF:${kind}:" + str(len(${payload})).encode() + b"\\n" + ${payload}`;
const aiRequest = `b'{"model": "gemma2:2b", "prompt": "hi"}'`;

export const POISONERS: Poisoner[] = [
  { name: 'asks for the models and exits without reading', code: `import os\nos.write(1, ${frame('models', 'b"{}"')})`, outcome: 'PROTOCOL_ERROR' },
  { name: 'asks the AI and exits without reading', code: `import os\nos.write(1, ${frame('ai', aiRequest)})`, outcome: 'PROTOCOL_ERROR' },
  { name: 'exits in the middle of a request frame', code: `import os\nos.write(1, b"\\x1eWF:ai:40\\n{\\"model\\": ")`, outcome: 'PLUGIN_ERROR' },
  { name: 'exits after a partial frame header', code: 'import os\nos.write(1, b"\\x1eWF:mod")', outcome: 'ok' },
  {
    name: 'reports done, then asks for the models and exits',
    code: `import os\nos.write(1, ${frame('done', 'b""')})\nos.write(1, ${frame('models', 'b"{}"')})`,
    outcome: 'PROTOCOL_ERROR',
  },
  {
    name: 'asks for the models and ends with os._exit',
    code: `import os\nos.write(1, ${frame('models', 'b"{}"')})\nos._exit(0)`,
    outcome: 'PROTOCOL_ERROR',
  },
];

/** A plugin that answers "echo:" and its input: a run given a secret must get exactly that back. */
export const ECHO_CODE = 'from platform_sdk import get_input, send_output\nsend_output("echo:" + get_input())';

/** A run whose output is a secret of its own, so that any other run's output is told apart. */
export async function ordinaryRun(runtime: Pick<SandboxRuntime, 'run'>, index: number): Promise<RunResult & { expected: string }> {
  const secret = `${index}-${randomUUID()}`;
  const result = await runtime.run({ code: ECHO_CODE, input: secret });
  return { ...result, expected: `echo:${secret}` };
}

export interface IsolationTally {
  /** Poisoner runs made, each followed by ordinary runs of another user. */
  attempts: number;
  /** Ordinary runs that got exactly their own output. */
  contained: number;
  /** Ordinary runs that got anything else (another run's output, an error, a hang). */
  breached: number;
}

type RunOver = (code: string, input: string) => Promise<{ output: string; error: unknown }>;

/**
 * Two users of one server: one sends every poisoner, the other ordinary runs with secrets of its
 * own, at the same time. Every ordinary run must get its own secret back, whatever came before.
 */
export async function tallyIsolation(runAsMallory: RunOver, runAsAlice: RunOver, rounds: number): Promise<IsolationTally> {
  const tally: IsolationTally = { attempts: 0, contained: 0, breached: 0 };
  const alice = async (index: number) => {
    const secret = `alice-${index}-${randomUUID()}`;
    const record = await runAsAlice(ECHO_CODE, secret)
      .catch((error: unknown) => ({ output: '', error }));
    if (record.error == null && record.output === `echo:${secret}`) tally.contained += 1;
    else {
      tally.breached += 1;
      if (process.env.WASMFORGE_DEBUG_ISOLATION) console.log(JSON.stringify(record).slice(0, 300));
    }
  };
  for (let round = 0; round < rounds; round++) {
    for (const [i, poisoner] of POISONERS.entries()) {
      tally.attempts += 1;
      await Promise.all([runAsMallory(poisoner.code, '').catch(() => undefined), alice(round * 100 + i)]);
      await alice(round * 100 + i + 50);
    }
  }
  return tally;
}
