import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname, setPriority } from 'node:os';
import { z } from 'zod';
import type { AotCachePaths } from './aot-cache.ts';
import { isProcessAlive } from '../../os/process.ts';

/**
 * The AOT compile as a job of its own: a detached process recorded in a job file beside the cache,
 * so that it outlives the run, the CLI command or the app that started it, and any WasmForge
 * process of this user can follow it, adopt its result, or start it again after an interruption.
 */
export interface AotJob {
  /** The compiling process (not the WasmForge process that started it). */
  pid: number;
  host: string;
  startedAt: number;
  /** Where the compile writes; adopted into the cache only after a trial run. */
  output: string;
}

const jobSchema = z.object({ pid: z.number().int().positive(), host: z.string(), startedAt: z.number(), output: z.string() });

/** Starts the compile detached from this process: `input` to `output`, its console into `logPath`; returns its pid. */
export type LaunchCompile = (input: string, output: string, logPath: string) => number;

/** A job older than this is over, whatever its pid says (a compile takes minutes, and pids are reused). */
const JOB_MAX_AGE_MS = 2 * 60 * 60 * 1000;
/** A job file still empty after this is a start that died before writing it. */
const UNWRITTEN_JOB_MS = 60_000;

export type JobLook = { kind: 'none' } | { kind: 'starting' } | { kind: 'running'; job: AotJob } | { kind: 'ended'; job?: AotJob };

export async function lookAtJob(paths: AotCachePaths, now = Date.now()): Promise<JobLook> {
  let text: string;
  try {
    text = await readFile(paths.job, 'utf8');
  } catch {
    return { kind: 'none' };
  }
  const parsed = jobSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    const { mtimeMs } = await stat(paths.job).catch(() => ({ mtimeMs: 0 }));
    return now - mtimeMs < UNWRITTEN_JOB_MS ? { kind: 'starting' } : { kind: 'ended' };
  }
  const job = parsed.data;
  const running = now - job.startedAt < JOB_MAX_AGE_MS && (job.host !== hostname() || isProcessAlive(job.pid));
  return running ? { kind: 'running', job } : { kind: 'ended', job };
}

/**
 * Creates the job file exclusively, then starts the compile: two WasmForge processes never start
 * two compiles. Returns false when another process got there first.
 */
export async function startJob(paths: AotCachePaths, input: string, launch: LaunchCompile, now = Date.now()): Promise<boolean> {
  let handle;
  try {
    handle = await open(paths.job, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const output = `${paths.module}.job-${now}.tmp.wasm`;
    const pid = launch(input, output, paths.log);
    const job: AotJob = { pid, host: hostname(), startedAt: now, output };
    await handle.writeFile(JSON.stringify(job));
  } catch (error) {
    await handle.close();
    await rm(paths.job, { force: true });
    throw error;
  }
  await handle.close();
  return true;
}

/**
 * Takes an ended job for this process alone (renaming its file is atomic): returns undefined when
 * another process took it first. The caller adopts or discards the output, then calls `done`.
 */
export async function claimEndedJob(paths: AotCachePaths): Promise<{ done(): Promise<void> } | undefined> {
  const claimed = `${paths.job}.${process.pid}.claimed`;
  try {
    await rename(paths.job, claimed);
  } catch {
    return undefined;
  }
  return { done: () => rm(claimed, { force: true }) };
}

/** What the compile said last: WasmEdge logs its phases ("optimize start", "codegen start", …) and errors. */
export async function readCompileLog(paths: AotCachePaths): Promise<string> {
  return readFile(paths.log, 'utf8').catch(() => '');
}

/** `wasmedge compile input output`, detached, at low priority so that the machine stays responsive. */
export function launchWasmEdgeCompile(binary: string, args: (input: string, output: string) => string[]): LaunchCompile {
  return (input, output, logPath) => {
    const log = openSync(logPath, 'w');
    try {
      const child = spawn(binary, args(input, output), {
        detached: true, stdio: ['ignore', log, log], env: {}, windowsHide: true,
      });
      child.on('error', () => { /* a spawn failure leaves no pid, handled below; a later one ends the job */ });
      if (child.pid === undefined) throw new Error(`could not start ${binary}`);
      child.unref();
      try { setPriority(child.pid, 15); } catch { /* not allowed here: normal priority */ }
      return child.pid;
    } finally {
      closeSync(log);
    }
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
