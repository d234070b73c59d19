import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initPlugin, openPlugin, saveManifest } from '../../src/library/workspace.ts';
import { tempHome } from '../marketplace/helpers.ts';
import { inspectDataFolder } from './consistency.ts';

// Issue #10's fault suite: the CLI is killed (SIGKILL) mid-publish, mid-install and mid-save at
// seeded random points; after each kill the data folder is opened through the library API, as the
// next start would open it, and must be consistent. The marketplace is the local PGlite one.
const SEED = 0x5eed;
const ITERATIONS = Number(process.env.WASMFORGE_FAULT_ITERATIONS ?? 3);
const CLI = fileURLToPath(new URL('../../bin/wasmforge.js', import.meta.url));

type OperationName = 'publish' | 'install' | 'save';

interface Operation {
  name: OperationName;
  /** The CLI's arguments for iteration `i`. */
  args(i: number): Promise<string[]>;
  /** The first change of the data folder that belongs to the operation itself (a path relative to it). */
  begins(path: string): boolean;
  /** How long after that beginning the kill may come; measured on a run that is not killed, unless fixed. */
  windowMs?: number;
}

interface Outcome {
  code: number | null;
  killed: boolean;
  sawBeginning: boolean;
  lockHeld: boolean;
  totalMs: number;
  beganAfterMs: number;
}

/** A fixed seed: the same kill points on every run of the suite. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

let home: { path: string; remove: () => Promise<void> };
let source: string;
beforeAll(async () => {
  home = await tempHome('faults');
  source = await mkdtemp(join(tmpdir(), 'wasmforge-faults-src-'));
  await initPlugin(join(source, 'fault-tool'), { name: 'fault-tool', version: '1.0.0', description: 'Killed and reopened' });
  await initPlugin(join(home.path, 'workspace', 'fault-save-0'), { name: 'fault-save-0', description: 'Renamed while killed' });
  await mkdir(join(home.path, 'staging'), { recursive: true, mode: 0o700 });
}, 180_000);
afterAll(async () => {
  await home?.remove();
  await rm(source, { recursive: true, force: true });
});

const currentSaveName = async (): Promise<string> => {
  const names = (await readdir(join(home.path, 'workspace'))).filter((name) => name.startsWith('fault-save-'));
  return names.sort().at(-1) ?? 'fault-save-0';
};

const OPERATIONS: Operation[] = [
  {
    name: 'publish',
    async args(i) {
      const dir = join(source, 'fault-tool');
      await saveManifest(dir, { ...(await openPlugin(dir)).manifest, version: `1.${i}.0` });
      return ['publish', dir, '--yes'];
    },
    begins: (path) => path.startsWith(join('staging', 'publish-')),
  },
  {
    name: 'install',
    args: async (i) => ['install', i % 2 === 0 ? 'fault-tool' : 'fault-tool@1.0.0', '--yes'],
    begins: (path) => path === 'db.lock',
  },
  {
    name: 'save',
    // `rename` of a workspace plugin saves it under the new name (the Builder's save with a new name).
    args: async (i) => ['rename', await currentSaveName(), `fault-save-${i}`],
    begins: (path) => path.startsWith('workspace'),
    windowMs: 30, // its writes take milliseconds; the rest of the run is closing
  },
];

/**
 * Tells each path written in the data folder, its staging folder and its workspace (where every
 * operation's first write lands), relative to the data folder. Three plain watches, not one
 * recursive one: Node 20's recursive watch on Linux scans each folder it hears of, and throws an
 * uncaught ENOENT when that folder was renamed away first (the save operation renames one; CI saw it).
 */
function watchBeginnings(onPath: (path: string) => void): () => void {
  const watchers = ['', 'workspace', 'staging'].flatMap((folder) => {
    try {
      const watcher = watch(join(home.path, folder), (_event, file) => file && onPath(folder ? join(folder, file) : file));
      watcher.on('error', () => undefined); // a watched folder removed: nothing more to hear there
      return [watcher];
    } catch {
      return []; // not made yet: its creation is heard in the data folder itself
    }
  });
  return () => watchers.forEach((watcher) => watcher.close());
}

/** Runs the CLI; with `killAfterMs`, kills it that long after the operation began (if it is still running). */
async function runCli(operation: Operation, args: string[], killAfterMs?: number): Promise<Outcome> {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: source, stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, WASMFORGE_HOME: home.path, DATABASE_URL: '', OLLAMA_HOST: 'http://127.0.0.1:9' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const outcome: Outcome = { code: null, killed: false, sawBeginning: false, lockHeld: false, totalMs: 0, beganAfterMs: 0 };
  const stopWatching = watchBeginnings((file) => {
    if (outcome.sawBeginning || !operation.begins(file)) return;
    outcome.sawBeginning = true;
    outcome.beganAfterMs = Date.now() - started;
    if (killAfterMs !== undefined) setTimeout(() => void kill(), killAfterMs);
  });
  const kill = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    outcome.lockHeld = (await readFile(join(home.path, 'db.lock'), 'utf8').catch(() => '')).startsWith(`${child.pid} `);
    outcome.killed = child.kill('SIGKILL');
  };
  outcome.code = await new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  stopWatching();
  outcome.totalMs = Date.now() - started;
  if (killAfterMs === undefined && outcome.code !== 0) throw new Error(`wasmforge ${args.join(' ')} failed: ${stderr}`);
  return outcome;
}

describe('kill -9 of the CLI mid-publish, mid-install and mid-save', () => {
  it('leaves a data folder that opens with nothing half-written', async () => {
    const next = random(SEED);
    // One run of each that is not killed: it must work, and it says how long the operation lasts.
    const windows = new Map<OperationName, number>();
    for (const operation of OPERATIONS) {
      const run = await runCli(operation, await operation.args(0));
      windows.set(operation.name, operation.windowMs ?? Math.max(run.totalMs - run.beganAfterMs, 50));
    }
    expect(await inspectDataFolder(home.path)).toEqual([]);

    const figures = { iterations: ITERATIONS, runs: 0, kills: 0, killsHoldingTheDatabase: 0, finishedFirst: 0, inconsistentAfter: 0, problems: 0 };
    const problems: string[] = [];
    for (let i = 1; i <= ITERATIONS; i += 1) {
      for (const operation of OPERATIONS) {
        const killAfterMs = Math.floor(next() * windows.get(operation.name)!);
        const run = await runCli(operation, await operation.args(i), killAfterMs);
        figures.runs += 1;
        figures.kills += run.killed ? 1 : 0;
        figures.killsHoldingTheDatabase += run.lockHeld ? 1 : 0;
        figures.finishedFirst += run.killed ? 0 : 1;
        const found = await inspectDataFolder(home.path);
        figures.inconsistentAfter += found.length > 0 ? 1 : 0;
        problems.push(...found.map((problem) => `${operation.name} #${i}, killed ${killAfterMs} ms in: ${problem}`));
      }
    }
    figures.problems = new Set(problems.map((problem) => problem.replace(/^.*? in: /, ''))).size;
    console.log(`fault suite: ${JSON.stringify(figures)}`);
    expect(problems).toEqual([]);
    expect(figures.kills).toBeGreaterThan(0);
  }, 900_000);
});
