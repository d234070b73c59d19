import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// clig.dev conventions (issue #15).
const bin = join(process.cwd(), 'bin', 'wasmforge.js');
let home: string;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'wf-cli-conventions-'));
  await writeFile(join(home, 'spin.py'), 'import sys\nprint("spinning", file=sys.stderr, flush=True)\nwhile True:\n    pass\n');
  await writeFile(join(home, 'hello.py'), 'from platform_sdk import send_output\nsend_output("hello")\n');
});
afterAll(() => rm(home, { recursive: true, force: true }));

const env = () => ({ WASMFORGE_HOME: home, DATABASE_URL: '' });
const wasmforge = (...args: string[]) => execa(process.execPath, [bin, ...args], { cwd: home, reject: false, stdin: 'ignore', env: env() });

/** Starts the CLI, waits for `ready` on stderr, sends Ctrl-C's signal, and returns how it ended. */
async function interrupted(args: string[], ready: string) {
  const child = execa(process.execPath, [bin, ...args], { cwd: home, reject: false, env: env() });
  await new Promise<void>((resolve) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(ready)) resolve();
    });
  });
  child.kill('SIGINT');
  return child;
}

describe('wasmforge follows the command-line conventions', () => {
  it('Ctrl-C cancels a run and exits 130', { timeout: 60_000 }, async () => {
    const result = await interrupted(['run', 'spin.py', '--input', 'x'], 'spinning');
    expect([result.exitCode, result.stderr]).toEqual([130, expect.stringContaining('error CANCELLED')]);
  });

  it('Ctrl-C while it waits for stdin exits 130 too', { timeout: 60_000 }, async () => {
    // stdin is an open pipe that stays silent: the CLI says it is waiting, then Ctrl-C.
    const result = await interrupted(['run', 'hello.py'], 'stdin');
    expect(result.exitCode).toBe(130);
  });

  it('a plugin name that is not valid is a usage error: exit 2, with its typed error', async () => {
    const result = await wasmforge('install', 'Not A Name');
    expect([result.exitCode, result.stderr]).toEqual([2, expect.stringContaining('error BAD_INPUT: "Not A Name" is not a valid plugin name')]);
  });

  it('-v and --version print the version', async () => {
    for (const flag of ['-v', '--version']) {
      const result = await wasmforge(flag);
      expect([result.exitCode, result.stdout]).toEqual([0, expect.stringMatching(/^\d+\.\d+\.\d+$/)]);
    }
  });

  it('a run\'s durations carry no float noise', { timeout: 60_000 }, async () => {
    const result = JSON.parse((await wasmforge('run', 'hello.py', '--input', '', '--json')).stdout) as { durationMs: number };
    expect(String(result.durationMs)).toMatch(/^\d+(\.\d)?$/);
  });

  it('ends the output with a newline at a terminal, and keeps it byte-exact in a pipe', { timeout: 60_000 }, async () => {
    const piped = await execa(process.execPath, [bin, 'run', 'hello.py', '--input', ''], { cwd: home, reject: false, stdin: 'ignore', env: env(), stripFinalNewline: false });
    expect(piped.stdout).toBe('hello');
    // `script` gives the CLI a pseudo-terminal and copies what the terminal showed to its own stdout.
    const atTerminal = await execa('script', ['-qec', `${process.execPath} ${bin} run hello.py --input ''`, '/dev/null'], {
      cwd: home, reject: false, stdin: 'ignore', env: { ...process.env, ...env() }, stripFinalNewline: false,
    });
    expect(atTerminal.stdout).toBe('hello\r\n');
  });
});
