import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FakeUtilityProcess } from '../../test/support/fake-utility-process.ts';
import { BackendHost } from './backend-host.ts';

// The host against the stand-in utilityProcess, whose child runs the real backend entry.
vi.mock('electron', async () => (await import('../../test/support/fake-electron.ts')).electron);

const ENTRY = fileURLToPath(new URL('../backend/index.ts', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'wasmforge-host-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function recordingLog() {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push([level, message, fields]);
  return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('the backend host', () => {
  it('reports a backend that cannot open its data folder as a failed start, and does not start it again and again', async () => {
    const notAFolder = join(scratch, 'file');
    writeFileSync(notAFolder, 'not a folder');
    const { lines, log } = recordingLog();
    const onCrash = vi.fn();
    const host = new BackendHost({ entry: ENTRY, home: notAFolder, ai: 'test', log, onCrash });
    const before = FakeUtilityProcess.created.length;
    host.start();
    await expect(host.ready).rejects.toThrow(/ENOTDIR|not a directory|EEXIST/);
    await vi.waitFor(() => expect(host.pid).toBeUndefined(), { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(FakeUtilityProcess.created.length - before).toBe(1);
    expect(onCrash).not.toHaveBeenCalled();
    expect(lines).toContainEqual(['error', 'the backend could not start', expect.objectContaining({ generation: 1 })]);
  }, 30_000);

  it('stops a backend that does not close in time by killing it', async () => {
    const { lines, log } = recordingLog();
    const host = new BackendHost({ entry: ENTRY, home: join(scratch, 'home'), ai: 'test', log, stopTimeoutMs: 1 });
    host.start();
    await host.ready;
    await host.stop();
    expect(host.pid).toBeUndefined();
    expect(lines).toContainEqual(['warn', 'the backend did not close within 0.001 s; killing it', undefined]);
    expect(lines.some(([, message]) => message === 'the backend process died')).toBe(false);
  }, 60_000);
});
