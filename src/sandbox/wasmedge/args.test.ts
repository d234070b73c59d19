import { describe, expect, it } from 'vitest';
import { guestArgv } from '../guest-code.ts';
import { findSandboxResources } from '../resources.ts';
import { buildCompileArgs, buildRunArgs, wasmedgeTimeLimitMs } from './args.ts';
import { classifyExit, EngineDiagnostics, type ExitFacts } from './exit.ts';

const argv = ['python', '-S', '-I', '-B', '-c', 'print(1)'];

describe('buildRunArgs', () => {
  it('builds the interpreter command line: limits, module, the guest argv after "python", no --dir or --env', () => {
    const args = buildRunArgs({ modulePath: '/r/python.wasm', mode: 'interpreter', runModeFlag: true, memoryPages: 4096, timeLimitMs: 65_000, guestArgv: argv });
    expect(args).toEqual(['--memory-page-limit', '4096', '--time-limit', '65000', '/r/python.wasm', '-S', '-I', '-B', '-c', 'print(1)']);
    expect(args.some((a) => a.startsWith('--dir') || a.startsWith('--env'))).toBe(false);
  });

  it('adds --run-mode aot for compiled modules on WasmEdge 0.17+, and only there', () => {
    const aot = buildRunArgs({ modulePath: '/c/python-aot.wasm', mode: 'aot', runModeFlag: true, memoryPages: 4096, timeLimitMs: 1000, guestArgv: argv });
    expect(aot.slice(0, 2)).toEqual(['--run-mode', 'aot']);
    const old = buildRunArgs({ modulePath: '/c/python-aot.wasm', mode: 'aot', runModeFlag: false, memoryPages: 4096, timeLimitMs: 1000, guestArgv: argv });
    expect(old).not.toContain('--run-mode');
  });

  it('never goes under the 160 pages CPython needs, and never passes 0 (= no limit) as a time limit', () => {
    const args = buildRunArgs({ modulePath: 'm', mode: 'interpreter', runModeFlag: true, memoryPages: 10, timeLimitMs: 0, guestArgv: argv });
    expect(args.slice(0, 4)).toEqual(['--memory-page-limit', '160', '--time-limit', '1']);
  });

  it('puts options before the module, so the real bootstrap reaches CPython as one argument', () => {
    const real = guestArgv(findSandboxResources().sdkDir);
    const args = buildRunArgs({ modulePath: '/r/python.wasm', mode: 'interpreter', runModeFlag: true, memoryPages: 4096, timeLimitMs: 1, guestArgv: real });
    const moduleAt = args.indexOf('/r/python.wasm');
    expect(args.slice(moduleAt + 1)).toEqual(real.slice(1));
    expect(args.slice(0, moduleAt).every((a, i) => i % 2 === 1 || a.startsWith('--'))).toBe(true);
  });

  it('compiles without --interruptible: the host ends the process at its limits instead', () => {
    expect(buildCompileArgs('in.wasm', 'out.wasm')).toEqual(['compile', 'in.wasm', 'out.wasm']);
  });

  it('gives a pooled guest its start-up and waiting time on top of the wall time', () => {
    expect(wasmedgeTimeLimitMs({ wallTimeMs: 120_000, startupMs: 60_000, idleMs: 600_000 })).toBe(780_000);
    expect(wasmedgeTimeLimitMs({ wallTimeMs: 5000, startupMs: 1000, idleMs: 0 })).toBe(6000);
  });
});

function facts(overrides: Partial<ExitFacts>, lines: string[] = []): ExitFacts {
  const diagnostics = new EngineDiagnostics();
  for (const line of lines) diagnostics.add(line);
  return { exitCode: 0, sawReady: true, elapsedMs: 1000, timeLimitMs: 60_000, diagnostics, ...overrides };
}

describe('classifyExit', () => {
  it('reports a normal exit with its status', () => {
    expect(classifyExit(facts({ exitCode: 3 }))).toEqual({ reason: 'exited', exitCode: 3 });
  });

  it('reports the host stopping the guest, whatever the process said', () => {
    const exit = classifyExit(facts({ exitCode: undefined, signal: 'SIGKILL', hostStop: { reason: 'killed', message: 'killed by the host' } }));
    expect(exit).toMatchObject({ reason: 'killed', message: 'killed by the host' });
    expect(classifyExit(facts({ hostStop: { reason: 'flood', message: 'too much' } })).reason).toBe('flood');
  });

  it('maps "Memory grow page failed" to memory when the run failed', () => {
    const lines = ['[2026-11-25 02:58:16.176] [error] Memory Instance: Memory grow page failed, Page limit: 4096'];
    expect(classifyExit(facts({ exitCode: 134 }, lines)).reason).toBe('memory');
    expect(classifyExit(facts({ exitCode: 1 }, lines)).reason).toBe('memory');
    // The plugin caught its MemoryError and finished: its own frames tell the story.
    expect(classifyExit(facts({ exitCode: 0 }, lines)).reason).toBe('exited');
  });

  it('reads exit 134 after the time limit as WasmEdge stopping the guest on time', () => {
    const exit = classifyExit(facts({ exitCode: 134, elapsedMs: 60_010, timeLimitMs: 60_000 }, ['[2026-11-25 02:58:16.176] [error] execution failed: execution interrupted']));
    expect(exit.reason).toBe('timeout');
    expect(exit.message).toMatch(/time limit \(60000 ms\)/);
  });

  it('reads exit 134 before the time limit with an error line as a trap, and trusts no forged "interrupted" line', () => {
    const exit = classifyExit(facts({ exitCode: 134, elapsedMs: 500 }, ['[2026-11-25 02:58:16.176] [error] execution failed: unreachable, Code: 0x89']));
    expect(exit).toMatchObject({ reason: 'trap', message: 'WebAssembly trap: execution failed: unreachable, Code: 0x89' });
    expect(classifyExit(facts({ exitCode: 134, elapsedMs: 500 })).reason).toBe('exited');
  });

  it('calls a failure before the runner was ready, or a signal, a crash of the engine', () => {
    const early = classifyExit(facts({ exitCode: 1, sawReady: false }, ['[2026-11-25 02:58:16.176] [error] instantiation failed: memory limit']));
    expect(early.reason).toBe('crashed');
    expect(early.message).toContain('instantiation failed');
    expect(classifyExit(facts({ exitCode: undefined, signal: 'SIGSEGV' })).reason).toBe('crashed');
    expect(classifyExit(facts({ exitCode: undefined, spawnError: 'ENOENT' }))).toMatchObject({ reason: 'crashed', message: 'wasmedge could not start: ENOENT' });
  });

  it('keeps a bounded number of diagnostic lines', () => {
    const diagnostics = new EngineDiagnostics();
    for (let i = 0; i < 100; i++) diagnostics.add(`[2026-11-25 02:58:16.176] [info] line ${i} ${'x'.repeat(1000)}`);
    expect(diagnostics.lines).toHaveLength(20);
    expect(diagnostics.lines.every((l) => l.length <= 501)).toBe(true);
  });
});
