import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'wasmforge-cli-tty-'));
const env = { WASMFORGE_HOME: home, OLLAMA_HOST: 'http://127.0.0.1:9' };

// Clear screen, window title (OSC 0), clipboard write (OSC 52), an 8-bit CSI (C1) and a bell, around text with a tab.
const hostile = 'A\\x1b[2J\\x1b]0;TITLE\\x07\\x1b]52;c;aGk=\\x07\\x9b31mB\\tC\\x07\\n';
const plugin = join(home, 'hostile.py');
writeFileSync(plugin, `from platform_sdk import send_output\nprint("log \\x1b]0;LOGTITLE\\x07 x")\nsend_output("${hostile}")\n`);
const exactOutput = 'A\x1b[2J\x1b]0;TITLE\x07\x1b]52;c;aGk=\x07\u009b31mB\tC\x07\n';

/**
 * The CLI inside a real pseudo-terminal (util-linux `script`): stdin, stdout and stderr are all
 * the terminal, as for a user. What `script` prints is what the terminal received.
 */
async function atTerminal(args: string[]): Promise<{ exitCode: number | undefined; screen: string }> {
  const command = ['node', 'bin/wasmforge.js', ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = await execa('script', ['-qfec', command, '/dev/null'], { stdin: 'ignore', reject: false, env, encoding: 'buffer', stripFinalNewline: false, timeout: 60_000 });
  return { exitCode: result.exitCode, screen: Buffer.from(result.stdout).toString('utf8') };
}

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

describe('a plugin\'s output on a terminal', () => {
  it('is stripped of control sequences and characters, keeping tabs and newlines', async () => {
    const { exitCode, screen } = await atTerminal(['run', plugin, '--input', 'x']);
    expect(exitCode).toBe(0);
    expect(screen).not.toMatch(CONTROLS);
    expect(screen).not.toContain('TITLE');
    expect(screen).not.toContain('aGk=');
    expect(screen).toContain('B\tC');
    // The terminal turns each newline into CR LF.
    expect(screen).toMatch(/C *\r\n$/);
  });

  it('is passed through as it is with --raw', async () => {
    const { exitCode, screen } = await atTerminal(['run', plugin, '--input', 'x', '--raw']);
    expect(exitCode).toBe(0);
    expect(screen).toContain(exactOutput.replace('\n', '\r\n'));
  });

  it('stays byte-exact when stdout is not a terminal', async () => {
    const piped = await execa('node', ['bin/wasmforge.js', 'run', plugin, '--input', 'x'], { stdin: 'ignore', reject: false, env, stripFinalNewline: false });
    // The whole result at once, so a failure shows stderr too.
    expect({ exitCode: piped.exitCode, stdout: piped.stdout, stderr: piped.stderr }).toEqual({ exitCode: 0, stdout: exactOutput, stderr: expect.any(String) });
  });
});

describe('a plugin test case that fails, on a terminal', () => {
  it('shows the failure stripped of control sequences (its output and error message are the plugin\'s)', async () => {
    const dir = join(home, 'hostile-tests');
    mkdirSync(join(dir, 'tests'), { recursive: true });
    writeFileSync(join(dir, 'plugin.py'), 'raise ValueError("\\x1b]0;TITLE\\x07\\x9b2J boom")\n');
    writeFileSync(join(dir, 'tests', 'case.json'), JSON.stringify({ input: 'x', expect: { output: 'y' } }));
    const { exitCode, screen } = await atTerminal(['test', dir]);
    expect(exitCode).toBe(1);
    expect(screen).toContain('boom');
    expect(screen).not.toMatch(CONTROLS);
    expect(screen).not.toContain('TITLE');
  });
});
