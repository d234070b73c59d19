import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSandboxResources } from '../../src/sandbox/resources.ts';
import { discoverWasmEdge } from '../../src/sandbox/wasmedge/binary.ts';

const bin = join(process.cwd(), 'bin', 'wasmforge.js');
let home: string;
beforeAll(async () => { home = await mkdtemp(join(tmpdir(), 'wf-cli-engines-')); });
afterAll(() => rm(home, { recursive: true, force: true }));

const wasmforge = (env: Record<string, string>, ...args: string[]) => execa(process.execPath, [bin, ...args], {
  cwd: home, reject: false, stdin: 'ignore', env: { WASMFORGE_HOME: home, DATABASE_URL: '', ...env },
});

describe('wasmforge engines (issue #14)', () => {
  // No wasmedge anywhere: PATH holds only node's own folder.
  const without = { WASMFORGE_WASMEDGE: '', PATH: dirname(process.execPath) };

  it('lists the engines, and `prepare` says why WasmEdge cannot be prepared when there is none', { timeout: 60_000 }, async () => {
    const listed = await wasmforge(without, 'engines');
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toMatch(/^embedded\s+yes/m);
    expect(listed.stdout).toMatch(/^wasmedge\s+no\s+.*wasmedge not found/m);
    const prepared = await wasmforge(without, 'engines', 'prepare');
    expect([prepared.exitCode, prepared.stderr]).toEqual([1, expect.stringContaining('error ENGINE_UNAVAILABLE: wasmedge not found')]);
  });
});

// A real compile: minutes and ~2 GB of memory. Opt in with WASMFORGE_TEST_WASMEDGE_AOT=1 and a wasmedge (WASMFORGE_WASMEDGE or PATH).
const wasmedge = await discoverWasmEdge({ wasmedgeDir: findSandboxResources().wasmedgeDir });
describe.skipIf(!wasmedge.found || process.env.WASMFORGE_TEST_WASMEDGE_AOT !== '1')('wasmforge engines prepare with a real wasmedge', () => {
  it('compiles in the foreground until the module is ready; the doctor and the next run see it', { timeout: 30 * 60_000 }, async () => {
    const withBinary = { WASMFORGE_WASMEDGE: wasmedge.found ? wasmedge.binary.path : '' };
    const prepared = await wasmforge(withBinary, 'engines', 'prepare');
    expect([prepared.exitCode, prepared.stdout]).toEqual([0, expect.stringContaining('WasmEdge runs python.wasm as native code')]);
    const doctor = await wasmforge(withBinary, 'doctor', '--json');
    const lines = JSON.parse(doctor.stdout) as Array<{ check: string; detail: string }>;
    expect(lines.find((line) => line.detail.startsWith('wasmedge'))?.detail).toContain('AOT (native code');
  });
});
