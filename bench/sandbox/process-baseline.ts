import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeJob, guestArgv } from '../../src/sandbox/guest-code.ts';
import { encodeFrame } from '../../src/sandbox/protocol.ts';
import { findSandboxResources } from '../../src/sandbox/resources.ts';

const resources = findSandboxResources();
const argvFile = join(tmpdir(), `wasmforge-bench-argv-${process.pid}.json`);
writeFileSync(argvFile, JSON.stringify(guestArgv(resources.sdkDir)));
const script = new URL('../baseline/process-per-run.mjs', import.meta.url).pathname;

/** One run in a new `node` process; resolves with the wall time from spawn to exit. */
export function runInNewProcess(code: string, input = ''): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, resources.pythonWasm, argvFile], { stdio: ['pipe', 'pipe', 'pipe'], env: {} });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('latin1')));
    child.on('error', reject);
    child.on('exit', () => {
      if (!stdout.includes('\x1eWF:done:')) reject(new Error(`baseline run did not finish: ${stdout.slice(0, 200)}`));
      else resolve(performance.now() - started);
    });
    child.stdin.end(encodeFrame('run', encodeJob({ mode: 'run', filename: 'plugin.py', code, input })));
  });
}
