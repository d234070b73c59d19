import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SandboxRuntime } from '../index.ts';
import { findSandboxResources } from '../resources.ts';

describe('an engine that cannot start', () => {
  it('fails runs with ENGINE_UNAVAILABLE instead of waiting forever, and says why', async () => {
    const resources = findSandboxResources();
    const sdkDir = mkdtempSync(join(tmpdir(), 'wasmforge-broken-sdk-'));
    for (const file of ['platform_sdk.py', 'wasmforge_files.py', 'wasmforge_channel.py', 'wasmforge_timezones.py']) copyFileSync(join(resources.sdkDir, file), join(sdkDir, file));
    writeFileSync(join(sdkDir, 'wasmforge_runner.py'), 'raise SystemExit(7)\n');
    const runtime = new SandboxRuntime({ resources: { ...resources, sdkDir }, warmPoolSize: 1 });
    try {
      const result = await runtime.run({ code: 'pass' });
      expect(result.error?.code).toBe('ENGINE_UNAVAILABLE');
      expect(result.error?.message).toMatch(/could not start/);
      await expect(runtime.whenWarm()).rejects.toThrow(/could not start/);
      expect((await runtime.run({ code: 'pass' })).error?.code).toBe('ENGINE_UNAVAILABLE');
    } finally {
      await runtime.close();
    }
  });
});
