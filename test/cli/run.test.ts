import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { describe, expect, it } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'wasmforge-cli-'));
// Without input, stdin is closed: `run` reads stdin when it is not a terminal, as `cat` would.
const cli = (args: string[], input?: string) => execa('node', ['bin/wasmforge.js', ...args], {
  reject: false, ...(input === undefined ? { stdin: 'ignore' as const } : { input }), env: { WASMFORGE_HOME: home, OLLAMA_HOST: 'http://127.0.0.1:9' },
});

function plugin(name: string, code: string): string {
  const path = join(home, name);
  writeFileSync(path, code);
  return path;
}

const echo = plugin('echo.py', 'from platform_sdk import get_input, send_output\nprint("a log line")\nsend_output(get_input())');

/** Settles once the process has written `text` on stderr (the CLI is then at a known step). */
function untilStderr(running: ResultPromise, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    running.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (seen.includes(text)) resolve();
    });
    running.then(() => reject(new Error(`the process ended without writing "${text}" on stderr: ${seen}`)), reject);
  });
}

describe('wasmforge run', () => {
  it('prints exactly the output, logs on stderr, and exits 0', async () => {
    const result = await cli(['run', echo, '--input', 'héllo\n\nworld  ']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('héllo\n\nworld  ');
    expect(result.stderr).toContain('a log line');
  });

  it('reads the input from stdin and from a file', async () => {
    expect((await cli(['run', echo], 'from stdin 🎉')).stdout).toBe('from stdin 🎉');
    const file = join(home, 'input.txt');
    writeFileSync(file, 'from a file');
    expect((await cli(['run', echo, '--input-file', file])).stdout).toBe('from a file');
  });

  it('prints the whole result as JSON with --json', async () => {
    const result = await cli(['run', echo, '--input', 'x', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, output: 'x', logs: 'a log line\n', error: null, engine: 'embedded' });
  });

  it('exits 1 with the error code and traceback on stderr when the plugin fails', async () => {
    const broken = plugin('broken.py', 'x = 1\nraise ValueError("bad value")\n');
    const result = await cli(['run', broken]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('File "broken.py", line 2');
    expect(result.stderr).toContain('error PLUGIN_ERROR: ValueError: bad value');
  });

  it('applies --timeout', async () => {
    const result = await cli(['run', plugin('spin.py', 'while True: pass'), '--timeout', '1']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('error TIMEOUT');
  });

  it('exits 2 for usage errors', async () => {
    expect((await cli(['run'])).exitCode).toBe(2);
    expect((await cli(['run', echo, '--engine', 'qemu'])).exitCode).toBe(2);
    expect((await cli(['run', echo, '--timeout', '-3'])).exitCode).toBe(2);
    const tooLong = await cli(['run', echo, '--timeout', '2500000']);
    expect([tooLong.exitCode, tooLong.stderr]).toEqual([2, expect.stringContaining('may be at most 86400 seconds')]);
    expect((await cli(['run', echo, '--input', 'a', '--input-file', 'b'])).exitCode).toBe(2);
  });

  it('cancels on Ctrl-C while the plugin runs', async () => {
    const running = execa('node', ['bin/wasmforge.js', 'run', plugin('loop.py', 'print("started", flush=True)\nwhile True: pass')], {
      reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home }, timeout: 60_000,
    });
    // Logs are shown as the plugin prints them: once this one is there, the run is under way.
    await untilStderr(running, 'started');
    running.kill('SIGINT');
    const result = await running;
    expect(result.exitCode).toBe(130); // interrupted, as a shell expects
    expect(result.stderr).toContain('error CANCELLED: The run was cancelled');
  });

  it('cancels on Ctrl-C while waiting for the input on stdin', async () => {
    // stdin is a pipe that stays open and silent, as with `slow-command | wasmforge run …`.
    const running = execa('node', ['bin/wasmforge.js', 'run', echo], { reject: false, env: { WASMFORGE_HOME: home }, timeout: 60_000 });
    await untilStderr(running, 'waiting for the input on stdin');
    running.kill('SIGINT');
    const result = await running;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain('error CANCELLED: Cancelled while reading the input from stdin');
  });

  it.each([
    ['my plugin.py', 'my_plugin.py'],
    ['résumé.py', 'resume.py'],
    ['echo.PY', 'echo.py'],
    ['echo', 'echo.py'],
  ])('runs a file named %s, which tracebacks call %s', async (name, shown) => {
    const file = plugin(name, 'from platform_sdk import get_input\nraise ValueError(get_input())\n');
    const result = await cli(['run', file, '--input', 'boom']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`File "${shown}", line 2`);
    expect(result.stderr).toContain('error PLUGIN_ERROR: ValueError: boom');
  });

  it('says which input file is missing', async () => {
    const missing = join(home, 'no-such-input.txt');
    const result = await cli(['run', echo, '--input-file', missing]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe(`error NOT_FOUND: No input file at ${missing}`);
  });

  it('with --json, an error found before the run prints the JSON a failed run prints, with the same exit code', async () => {
    const failedRun = JSON.parse((await cli(['run', plugin('fails.py', 'raise ValueError("x")\n'), '--json'])).stdout) as Record<string, unknown>;
    const missing = await cli(['run', join(home, 'nonexist.py'), '--json']);
    expect(missing.exitCode).toBe(1);
    const result = JSON.parse(missing.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ ok: false, output: '', logs: '', aiCalls: [], error: { code: 'NOT_FOUND', message: `No plugin at ${join(home, 'nonexist.py')}` }, engine: 'embedded' });
    expect(Object.keys(result).sort()).toEqual(Object.keys(failedRun).filter((key) => key !== 'memoryBytes').sort());

    const folder = join(home, 'reserved');
    mkdirSync(folder);
    writeFileSync(join(folder, 'plugin.py'), 'from platform_sdk import send_output\nsend_output("x")\n');
    writeFileSync(join(folder, 'wasmforge_files.py'), 'x = 1\n');
    const reserved = await cli(['run', folder, '--json']);
    expect(reserved.exitCode).toBe(1);
    expect(JSON.parse(reserved.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_PLUGIN_FILES', details: { path: 'wasmforge_files.py' } } });

    const usage = await cli(['run', echo, '--json', '--input', 'a', '--input-file', 'b']);
    expect(usage.exitCode).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: 'use either --input or --input-file, not both' } });
  });

  it('reports a missing plugin clearly', async () => {
    const result = await cli(['run', join(home, 'nope.py')]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/error NOT_FOUND: No plugin at/);
  });
});
